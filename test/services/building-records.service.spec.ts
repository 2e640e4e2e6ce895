import { EntityManager } from 'typeorm';
import { BuildingRecordsModule } from '../../src/building-records/building-records.module';
import { BuildingRecordsService, ImportedRecord } from '../../src/building-records/building-records.service';
import { RecordInput } from '../../src/building-records/record.repository';
import { uniqueBuildingId } from '../helpers/factories';
import { ServiceContext, startServiceContext } from '../helpers/service-context';

function input(overrides: Partial<RecordInput> = {}): RecordInput {
  const buildingId = overrides.buildingId ?? uniqueBuildingId('r');
  return {
    buildingId,
    email: `${buildingId}@example.ch`,
    phone: '+41791234567',
    address: 'Badstrasse 12, 5400 Baden',
    plz: 5400,
    lat: 47.4731,
    lon: 8.3066,
    buildingType: 'EFH',
    annualConsumptionKwh: 12000,
    potentialPvKwp: 9,
    profile: { building_id: buildingId, lat: 47.4731, lon: 8.3066, roof_area_m2: 88 },
    ...overrides,
  };
}

function imported(overrides: Partial<ImportedRecord> = {}): ImportedRecord {
  return { ...input(overrides.buildingId ? { buildingId: overrides.buildingId } : {}), verified: true, verifiedAt: new Date('2026-01-02T03:04:05.000Z'), registeredAt: new Date('2026-01-01T00:00:00.000Z'), ...overrides };
}

describe(BuildingRecordsService.name, () => {
  let context: ServiceContext;
  let sut: BuildingRecordsService;
  let manager: EntityManager;

  beforeAll(async () => {
    context = await startServiceContext([BuildingRecordsModule]);
    sut = context.app.get(BuildingRecordsService);
    manager = context.dataSource.manager;
  });

  afterAll(async () => {
    await context.close();
  });

  it('should keep a building in exactly one table when it moves between them, and give the engine only confirmed ones', async () => {
    const record = input();
    await sut.save(manager, 'anonymous', record);
    expect(await sut.find(manager, record.buildingId)).toMatchObject({ type: 'anonymous', record: { ...record, verified: false } });

    expect((await sut.readConfirmedForCommunities(manager)).filter((row) => row.building_id === record.buildingId)).toEqual([]);

    await sut.save(manager, 'registered', { ...record, phone: null, verified: true, verifiedAt: new Date() });
    expect(await sut.find(manager, record.buildingId)).toMatchObject({ type: 'registered', record: { phone: null } });
    expect(await sut.findByEmail(manager, record.email)).toHaveLength(1);
    expect((await sut.readConfirmedForCommunities(manager)).filter((row) => row.building_id === record.buildingId)).toEqual([
      expect.objectContaining({ type: 'registered', lat: record.lat, annual_consumption_kwh: record.annualConsumptionKwh }),
    ]);
  });

  it('should find the records of one e-mail address in both tables', async () => {
    const email = `${uniqueBuildingId('owner')}@example.ch`;
    const full = input({ email });
    const pooled = input({ email });
    await sut.save(manager, 'registered', full);
    await sut.save(manager, 'anonymous', pooled);
    const found = await sut.findByEmail(manager, email);
    expect(found.map(({ type, record }) => [type, record.buildingId]).sort()).toEqual(
      [
        ['anonymous', pooled.buildingId],
        ['registered', full.buildingId],
      ].sort(),
    );
  });

  it('should confirm a record once', async () => {
    const record = input();
    await sut.save(manager, 'registered', record);
    const found = (await sut.find(manager, record.buildingId))!;
    const at = new Date('2026-11-30T12:00:00.000Z');
    expect(await sut.markVerified(manager, found, at)).toBe(true);
    expect(await sut.markVerified(manager, found, new Date())).toBe(false);
    expect(await sut.find(manager, record.buildingId)).toMatchObject({ record: { verified: true, verifiedAt: at } });
  });

  it('should remove a building from whichever table holds it, and say whether there was one', async () => {
    const record = input();
    await sut.save(manager, 'anonymous', record);
    expect(await sut.remove(manager, record.buildingId)).toBe(true);
    expect(await sut.remove(manager, record.buildingId)).toBe(false);
    expect(await sut.find(manager, record.buildingId)).toBeNull();
  });

  it('should import a batch: new, moved and changed records written, equal ones left alone', async () => {
    const stays = imported();
    const moves = imported();
    await sut.importBatch(manager, 'registered', [stays], new Date());
    await sut.importBatch(manager, 'anonymous', [moves], new Date());
    const fresh = imported({ registeredAt: null });
    const now = new Date('2026-12-01T00:00:00.000Z');

    const counts = await sut.importBatch(manager, 'registered', [stays, moves, fresh], now);

    expect(counts).toEqual({ imported: 1, updated: 1, unchanged: 1 });
    expect(await sut.find(manager, moves.buildingId)).toMatchObject({ type: 'registered', record: { registeredAt: moves.registeredAt } });
    expect(await sut.find(manager, fresh.buildingId)).toMatchObject({ record: { registeredAt: now } });
    expect(await sut.importBatch(manager, 'registered', [stays, moves], now)).toEqual({ imported: 0, updated: 0, unchanged: 2 });
  });

  it('should keep a stored registration date when the imported record does not give one', async () => {
    const record = imported();
    await sut.importBatch(manager, 'anonymous', [record], new Date());
    await sut.importBatch(manager, 'anonymous', [{ ...record, phone: null, registeredAt: null }], new Date('2030-01-01T00:00:00.000Z'));
    expect(await sut.find(manager, record.buildingId)).toMatchObject({ record: { phone: null, registeredAt: record.registeredAt } });
  });

  it('should page through a table in id order and know which ids exist', async () => {
    const prefix = uniqueBuildingId('page');
    const ids = [1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`);
    for (const buildingId of ids) await sut.save(manager, 'anonymous', input({ buildingId }));

    const seen: string[][] = [];
    for await (const page of sut.pagesOf(manager, 'anonymous', 2)) seen.push(page.map((record) => record.buildingId).filter((id) => id.startsWith(prefix)));
    const flat = seen.flat();
    expect(flat).toEqual(ids);
    expect(Math.max(...seen.map((page) => page.length))).toBeLessThanOrEqual(2);
    expect(await sut.existingIds(manager, [ids[0], `${prefix}-missing`])).toEqual(new Set([ids[0]]));
  });

  it('should count total and confirmed records per table', async () => {
    const before = await sut.counts(manager);
    const record = input();
    await sut.save(manager, 'registered', { ...record, verified: true, verifiedAt: new Date() });
    const after = await sut.counts(manager);
    expect(after.registered).toEqual({ total: before.registered.total + 1, verified: before.registered.verified + 1 });
    expect(after.anonymous).toEqual(before.anonymous);
  });
});

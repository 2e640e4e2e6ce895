import { BuildingRecordsService } from '../src/building-records/building-records.service';
import { RecomputationService } from '../src/communities/recomputation/recomputation.service';
import { CommunityStore } from '../src/communities/store/community.store';
import { TokensService } from '../src/tokens/tokens.service';
import { availableModes, createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';
import { startTestApp } from './helpers/test-app';

const profile = (buildingId: string, lat: number, lon: number) => ({
  buildingId,
  email: `${buildingId}@example.ch`,
  phone: '+41791234567',
  address: 'Badstrasse 12, 5400 Baden',
  plz: 5400,
  lat,
  lon,
  buildingType: 'EFH',
  annualConsumptionKwh: 12000.5,
  potentialPvKwp: 9.25,
  profile: { building_id: buildingId, lat, lon, roof_area_m2: 88 },
});

describe.each(availableModes())('Persistence across restarts (%s database)', (mode) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('should read back everything written through all four modules after the application and database restart', async () => {
    const env = testEnv(database);
    const first = await startTestApp(env);
    const manager = first.dataSource.manager;
    const records = first.app.get(BuildingRecordsService);
    const confirmedAt = new Date('2026-11-27T09:00:00.000Z');
    await records.save(manager, 'registered', { ...profile('persist-full', 47.4731, 8.3066), verified: true, verifiedAt: confirmedAt });
    await records.save(manager, 'anonymous', { ...profile('persist-pool', 47.4735, 8.3069), verified: true, verifiedAt: confirmedAt });
    const issued = await first.app.get(TokensService).issue(manager, 'persist-full', 'unsubscribe', null);
    await first.app.get(RecomputationService).settled();
    expect(await first.app.get(RecomputationService).recomputeNow()).toMatchObject({ ran: true, communities: 1 });
    const store = first.app.get(CommunityStore);
    const computed = await store.allCommunities(manager);
    expect(computed).toHaveLength(1);
    const notifiedAt = new Date('2026-11-27T10:00:00.000Z');
    await store.saveDigests(manager, [{ buildingId: 'persist-full', digest: 'f'.repeat(32) }], notifiedAt);
    await first.close();

    const second = await startTestApp(env);
    const again = second.dataSource.manager;
    const building = await second.app.get(BuildingRecordsService).find(again, 'persist-full');
    expect(building).toMatchObject({ type: 'registered', record: { ...profile('persist-full', 47.4731, 8.3066), verified: true, verifiedAt: confirmedAt } });
    const entry = await second.app.get(BuildingRecordsService).find(again, 'persist-pool');
    expect(entry).toMatchObject({ type: 'anonymous', record: profile('persist-pool', 47.4735, 8.3069) });
    const token = await second.app.get(TokensService).findByToken(again, issued.token, 'unsubscribe');
    expect(token).toMatchObject({ buildingId: 'persist-full', kind: 'unsubscribe', usedAt: null, expiresAt: null });
    await second.app.get(RecomputationService).settled();
    expect(await second.app.get(CommunityStore).allCommunities(again)).toEqual(computed);
    expect(await second.app.get(CommunityStore).digestsOf(again, ['persist-full'])).toEqual(new Map([['persist-full', 'f'.repeat(32)]]));
    await second.close();
  });
});

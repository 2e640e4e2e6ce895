import { EntityManager } from 'typeorm';
import { RecordType } from '../../src/building-records/building-record';
import { BuildingRecordsService } from '../../src/building-records/building-records.service';
import { CommunitiesModule } from '../../src/communities/communities.module';
import { haversineMeters, LatLon, offsetMeters } from '../../src/geo/geo';
import { CommunityChanges } from '../../src/communities/recomputation/community-changes.service';
import { RecomputationService } from '../../src/communities/recomputation/recomputation.service';
import { CommunityStore } from '../../src/communities/store/community.store';
import { compareIds, countOverlaps, Overlap } from '../../src/communities/engine/community-id';
import { uniqueBuildingId } from '../helpers/factories';
import { readOutbox } from '../helpers/outbox';
import { ServiceContext, startServiceContext } from '../helpers/service-context';

/** A place of its own per test, 5 km from the others, so that tests never share a community. */
let placeCounter = 0;
function newPlace(): LatLon {
  placeCounter += 1;
  return { lat: 45.5 + placeCounter * 0.05, lon: 6.5 + placeCounter * 0.05 };
}

describe(RecomputationService.name, () => {
  let context: ServiceContext;
  let sut: RecomputationService;
  let records: BuildingRecordsService;
  let store: CommunityStore;
  let manager: EntityManager;

  beforeAll(async () => {
    context = await startServiceContext([CommunitiesModule]);
    sut = context.app.get(RecomputationService);
    records = context.app.get(BuildingRecordsService);
    store = context.app.get(CommunityStore);
    manager = context.dataSource.manager;
    // The run that start-up schedules for a fresh database, out of the way of the first test.
    await sut.settled();
  });

  afterAll(async () => {
    await context.close();
  });

  async function add(at: LatLon, type: RecordType = 'registered', verified = true): Promise<string> {
    const buildingId = uniqueBuildingId('rc');
    await records.save(manager, type, {
      buildingId,
      email: `${buildingId}@example.ch`,
      phone: null,
      address: null,
      plz: null,
      lat: at.lat,
      lon: at.lon,
      buildingType: null,
      annualConsumptionKwh: 5000,
      potentialPvKwp: 5,
      profile: { building_id: buildingId, lat: at.lat, lon: at.lon },
      ...(verified ? { verified: true, verifiedAt: new Date() } : {}),
    });
    await context.app.get(CommunityChanges).noted(manager, [buildingId]);
    return buildingId;
  }

  const communityOf = async (buildingId: string): Promise<string | undefined> => (await store.findCommunityOfEachBuilding(manager)).get(buildingId);

  /** Member ids by community, as stored. */
  const memberships = async (): Promise<Map<string, string[]>> => {
    const members = new Map<string, string[]>();
    for (const [buildingId, communityId] of await store.findCommunityOfEachBuilding(manager)) {
      members.set(communityId, [...(members.get(communityId) ?? []), buildingId]);
    }
    return members;
  };

  it('should group records of both tables within the radius and store only public positions', async () => {
    const place = newPlace();
    const a = await add(place, 'registered');
    const b = await add(offsetMeters(place, 100, 0), 'anonymous');
    const alone = await add(offsetMeters(place, 0, 2000), 'registered');

    expect(await sut.recomputeNow()).toMatchObject({ ran: true });

    const community = await communityOf(a);
    expect(community).toBeDefined();
    expect(await communityOf(b)).toBe(community);
    expect(await communityOf(alone)).toBeUndefined();
    const stored = (await store.allCommunities(manager)).find((c) => c.id === community)!;
    expect(stored).toMatchObject({ num_members: 2, total_consumption_kwh: 10_000 });
    for (const position of (await store.membersOf(manager, [community!])).map((m) => ({ lat: m.public_lat, lon: m.public_lon }))) {
      expect([place, offsetMeters(place, 100, 0)].some((exact) => position.lat === exact.lat && position.lon === exact.lon)).toBe(false);
      expect(Math.min(...[place, offsetMeters(place, 100, 0)].map((exact) => haversineMeters(exact, position)))).toBeLessThanOrEqual(120);
    }
  });

  it('should keep the id of a community when a neighbour joins it', async () => {
    const place = newPlace();
    const a = await add(place);
    await add(offsetMeters(place, 50, 0));
    await sut.recomputeNow();
    const before = await communityOf(a);

    await add(offsetMeters(place, 0, 60), 'anonymous');
    await sut.recomputeNow();

    expect(await communityOf(a)).toBe(before);
  });

  it('should count in the database the members new communities share with the stored ones, as the engine counts them from the memberships', async () => {
    const place = newPlace();
    const [a, b, c, d, e] = [await add(place), await add(offsetMeters(place, 50, 0)), await add(offsetMeters(place, 100, 0))]
      .concat([await add(offsetMeters(place, 0, 3000)), await add(offsetMeters(place, 50, 3000))]);
    await sut.recomputeNow();
    // a split, a merge of both communities with a stranger, and a batch of unknown ids large enough that the count takes two statements
    const unknown = Array.from({ length: 10_000 }, (_, i) => `unknown-${i}`);
    const next = [[a], unknown, [b, c, d, 'stranger'], [e]];

    const counted = await store.overlapsWithPrevious(manager, next);

    const expected = countOverlaps(next, await memberships());
    const order = (x: Overlap, y: Overlap): number => x.next - y.next || compareIds(x.previousId, y.previousId);
    expect(counted.sort(order)).toEqual(expected.sort(order));
    expect(counted.map((overlap) => [overlap.next, overlap.shared]).sort((x, y) => x[0] - y[0] || y[1] - x[1])).toEqual([[0, 1], [2, 2], [2, 1], [3, 1]]);
    expect(await store.previousCommunityIds(manager)).toEqual(expect.arrayContaining([...new Set(counted.map((overlap) => overlap.previousId))]));
  });

  it('should have work while changes are noted, and apply them one by one without a full pass', async () => {
    await sut.recomputeNow();
    expect(await sut.hasWork()).toBe(false);
    const place = newPlace();
    const a = await add(place);
    await add(offsetMeters(place, 60, 0));
    expect(await sut.hasWork()).toBe(true);
    const fullPassBefore = (await store.findRecomputation(manager))!.computed_at;

    expect(await sut.runNow()).toEqual({ ran: true });

    expect(await sut.hasWork()).toBe(false);
    expect(await communityOf(a)).toBeDefined();
    expect((await store.findRecomputation(manager))!.computed_at).toEqual(fullPassBefore);
  });

  it('should queue nothing and stay stale when told not to notify, and send the overviews on the next run', async () => {
    const place = newPlace();
    const a = await add(place);
    const b = await add(offsetMeters(place, 30, 0));
    const overviewsFor = async (ids: string[]) =>
      (await readOutbox(context.dataSource)).filter((mail) => mail.kind === 'contact-overview' && ids.includes(mail.buildingId ?? ''));

    await context.dataSource.transaction((transaction) => sut.recomputeInTransaction(transaction, { notify: false }));
    expect(await overviewsFor([a, b])).toHaveLength(0);
    expect(await sut.hasWork()).toBe(true);

    expect(await sut.recomputeNow()).toMatchObject({ ran: true, notifications: 2 });
    expect(await overviewsFor([a, b])).toHaveLength(2);
  });

  it('should run once when asked twice at the same time', async () => {
    await add(newPlace());
    const outcomes = await Promise.all([sut.recomputeNow(), sut.recomputeNow()]);
    expect(outcomes.map((outcome) => outcome.ran).sort()).toEqual([false, true]);
  });
});

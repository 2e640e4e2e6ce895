import { EntityManager } from 'typeorm';
import { RecordType } from '../../src/building-records/building-record';
import { BuildingRecordsService } from '../../src/building-records/building-records.service';
import { CommunitiesModule } from '../../src/communities/communities.module';
import { seededRandom } from '../../bench/generator';
import { offsetMeters } from '../../src/geo/geo';
import { CommunityChanges } from '../../src/communities/recomputation/community-changes.service';
import { RecomputationService } from '../../src/communities/recomputation/recomputation.service';
import { ServiceContext, startServiceContext } from '../helpers/service-context';

/**
 * The incremental recomputation against the full one: two databases receive the same long random
 * sequence of changes (new confirmed registrations, erasures, moves, new figures, new holders,
 * unconfirmed again, a switch of table); one applies each change incrementally, the other
 * recomputes everything after each; after every step the two must hold the same communities (ids,
 * members, figures, hulls), the same map, the same contact lists and the same queued e-mails.
 */

const STEPS = Number(process.env.PROPERTY_STEPS ?? 250);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261202);
const ORIGIN = { lat: 47.47, lon: 8.3 };
/**
 * Buildings spread over 2.5 km, half of them along a few streets: sparse enough for many small
 * communities, dense enough along the streets for chains that merge and split as buildings come and go.
 */
const AREA_M = 1600;
const STREET_M = 1100;
const VILLAGE = offsetMeters(ORIGIN, 1500, 1500);
const STREETS = [
  { north: -500, east: -800, dNorth: 0, dEast: 1 },
  { north: 300, east: -800, dNorth: 0.2, dEast: 1 },
  { north: -800, east: 200, dNorth: 1, dEast: 0 },
  { north: -800, east: -400, dNorth: 1, dEast: 0.3 },
];

type State = {
  buildings: Record<string, { community: string | null; registered: boolean; public: [number, number] }>;
  communities: Record<string, { members: number; first: string; hull: string; consumption: number; pv: number; autarky: number }>;
  lists: Record<string, string>;
  mails: string[];
};

async function stateOf(context: ServiceContext): Promise<State> {
  const q = <T>(sql: string) => context.dataSource.query<T[]>(sql);
  const buildings = await q<{ building_id: string; community_id: string | null; registered: boolean; public_lat: number; public_lon: number }>(
    'SELECT building_id, community_id, registered, public_lat, public_lon FROM community_buildings',
  );
  const communities = await q<{ id: string; num_members: number; first_member_id: string; hull: [number, number][]; total_consumption_kwh: number; total_pv_kwp: number; autarky_percent: number }>(
    'SELECT id, num_members, first_member_id, hull, total_consumption_kwh, total_pv_kwp, autarky_percent FROM communities',
  );
  const lists = await q<{ building_id: string; digest: string }>('SELECT building_id, digest FROM community_contact_lists');
  const mails = await q<{ kind: string; building_id: string; idempotency_key: string }>('SELECT kind, building_id, idempotency_key FROM mail_outbox');
  return {
    buildings: Object.fromEntries(buildings.map((b) => [b.building_id, { community: b.community_id, registered: b.registered, public: [b.public_lat, b.public_lon] }])),
    communities: Object.fromEntries(
      communities.map((c) => [
        c.id,
        {
          members: c.num_members,
          first: c.first_member_id,
          hull: c.hull.map(([lat, lon]) => `${lat},${lon}`).sort().join(' '),
          consumption: c.total_consumption_kwh,
          pv: c.total_pv_kwp,
          autarky: c.autarky_percent,
        },
      ]),
    ),
    lists: Object.fromEntries(lists.map((l) => [l.building_id, l.digest])),
    mails: mails.map((m) => `${m.kind}:${m.building_id}:${m.idempotency_key}`).sort(),
  };
}

/** Equal, with sums compared to a relative 1e-9 (an incremental total adds and subtracts where a full one sums afresh). */
function expectSameState(incremental: State, full: State, step: string): void {
  expect({ step, buildings: incremental.buildings }).toEqual({ step, buildings: full.buildings });
  expect({ step, lists: incremental.lists }).toEqual({ step, lists: full.lists });
  expect({ step, mails: incremental.mails }).toEqual({ step, mails: full.mails });
  expect({ step, ids: Object.keys(incremental.communities).sort() }).toEqual({ step, ids: Object.keys(full.communities).sort() });
  for (const [id, expected] of Object.entries(full.communities)) {
    const actual = incremental.communities[id];
    expect({ step, id, members: actual.members, first: actual.first, hull: actual.hull }).toEqual({ step, id, members: expected.members, first: expected.first, hull: expected.hull });
    for (const figure of ['consumption', 'pv', 'autarky'] as const) {
      expect(Math.abs(actual[figure] - expected[figure])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[figure])));
    }
  }
}

/** Counts merges (two communities' members now together) and splits (members of one community now apart). */
class Coverage {
  merges = 0;
  splits = 0;
  /** The most confirmed full registrations one community had: its contact order is read in windows once it is larger than two. */
  largestContactOrder = 0;

  count(before: State, after: State): void {
    const registered = new Map<string, number>();
    for (const b of Object.values(after.buildings)) if (b.community && b.registered) registered.set(b.community, (registered.get(b.community) ?? 0) + 1);
    this.largestContactOrder = Math.max(this.largestContactOrder, ...registered.values());
    const pairs = (state: State) => {
      const byCommunity = new Map<string, string[]>();
      for (const [id, b] of Object.entries(state.buildings)) if (b.community) byCommunity.set(b.community, [...(byCommunity.get(b.community) ?? []), id]);
      return byCommunity;
    };
    const communityBefore = (id: string) => before.buildings[id]?.community ?? null;
    const communityAfter = (id: string) => after.buildings[id]?.community ?? null;
    for (const members of pairs(after).values()) {
      if (new Set(members.map(communityBefore).filter((c) => c !== null)).size > 1) this.merges++;
    }
    for (const members of pairs(before).values()) {
      if (new Set(members.map(communityAfter).filter((c) => c !== null)).size > 1) this.splits++;
    }
  }
}

type Building = { id: string; type: RecordType; lat: number; lon: number; consumption: number; pv: number; confirmedAt: Date; confirmed: boolean };

describe('Incremental recomputation against a full recomputation', () => {
  let incremental: ServiceContext;
  let full: ServiceContext;

  beforeAll(async () => {
    // Debounce far away: the test runs every recomputation itself.
    // Lists of 4 contacts: communities larger than one list, whose lists are windows, come up within a few steps.
    const settings = { CLUSTER_RECOMPUTE_DEBOUNCE_MS: '600000', CLUSTER_RECOMPUTE_MAX_WAIT_MS: '600000', CONTACT_LIST_SIZE: '4' };
    incremental = await startServiceContext([CommunitiesModule], settings);
    full = await startServiceContext([CommunitiesModule], settings);
    for (const context of [incremental, full]) {
      await context.app.get(RecomputationService).settled();
      await context.app.get(RecomputationService).recomputeNow();
    }
  });

  afterAll(async () => {
    await incremental?.close();
    await full?.close();
  });

  async function write(context: ServiceContext, building: Building, erased: boolean): Promise<void> {
    const records = context.app.get(BuildingRecordsService);
    await context.dataSource.transaction(async (manager: EntityManager) => {
      if (erased) {
        await records.remove(manager, building.id);
        await context.app.get(CommunityChanges).erased(manager, building.id);
        return;
      }
      await records.save(manager, building.type, {
        buildingId: building.id,
        email: `${building.id}@example.ch`,
        phone: null,
        address: `Teststrasse ${building.id}`,
        plz: 5400,
        lat: building.lat,
        lon: building.lon,
        buildingType: 'EFH',
        annualConsumptionKwh: building.consumption,
        potentialPvKwp: building.pv,
        profile: { building_id: building.id, lat: building.lat, lon: building.lon },
        verified: building.confirmed,
        verifiedAt: building.confirmed ? building.confirmedAt : null,
      });
      await context.app.get(CommunityChanges).noted(manager, [building.id]);
    });
  }

  /** Writes the change to both databases, applies it incrementally in one and recomputes the other; the states must agree. */
  async function applyToBoth(building: Building, erased: boolean, step: string): Promise<State> {
    for (const context of [incremental, full]) await write(context, building, erased);
    expect(await incremental.app.get(RecomputationService).runNow()).toEqual({ ran: true });
    expect(await full.app.get(RecomputationService).recomputeNow()).toMatchObject({ ran: true });
    const expected = await stateOf(full);
    expectSameState(await stateOf(incremental), expected, step);
    return expected;
  }

  it(`should agree with a full recomputation after each of ${STEPS} random changes (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const place = () => {
      const where = random();
      // A village: one community larger than a contact list, whose lists are windows.
      if (where < 0.25) return offsetMeters(VILLAGE, (random() - 0.5) * 300, (random() - 0.5) * 300);
      if (where < 0.45) return offsetMeters(ORIGIN, (random() - 0.5) * AREA_M, (random() - 0.5) * AREA_M);
      const street = pick(STREETS);
      const along = random() * STREET_M;
      return offsetMeters(ORIGIN, street.north + street.dNorth * along + (random() - 0.5) * 20, street.east + street.dEast * along + (random() - 0.5) * 20);
    };
    const buildings = new Map<string, Building>();
    let next = 0;
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const counts: Record<string, number> = {};
    const coverage = new Coverage();
    let previous = await stateOf(full);

    for (let step = 0; step < STEPS; step++) {
      const existing = [...buildings.values()];
      const kind = existing.length < 15 ? 'add' : pick(['add', 'add', 'add', 'add', 'erase', 'erase', 'move', 'figures', 'holder', 'unconfirm', 'confirm', 'switch']);
      counts[kind] = (counts[kind] ?? 0) + 1;
      let building: Building;
      let erased = false;
      if (kind === 'add' || existing.length === 0) {
        next += 1;
        building = { id: `p${String(next).padStart(4, '0')}`, type: random() < 0.6 ? 'registered' : 'anonymous', ...place(), consumption: Math.round(2000 + random() * 15000), pv: Math.round(random() * 200) / 10, confirmedAt: new Date((clock += 60_000)), confirmed: true };
      } else {
        building = { ...pick(existing) };
        if (kind === 'erase') erased = true;
        if (kind === 'move') Object.assign(building, place());
        if (kind === 'figures') Object.assign(building, { consumption: Math.round(2000 + random() * 15000), pv: Math.round(random() * 200) / 10 });
        if (kind === 'holder') building.confirmedAt = new Date((clock += 60_000));
        if (kind === 'unconfirm') building.confirmed = false;
        if (kind === 'confirm') Object.assign(building, { confirmed: true, confirmedAt: new Date((clock += 60_000)) });
        if (kind === 'switch') building.type = building.type === 'registered' ? 'anonymous' : 'registered';
      }
      if (erased) buildings.delete(building.id);
      else buildings.set(building.id, building);

      const expected = await applyToBoth(building, erased, `step ${step} (${kind} ${building.id})`);
      coverage.count(previous, expected);
      previous = expected;
    }
    // Not vacuous: communities merged and split along the way, and one outgrew a contact list.
    expect(coverage.merges).toBeGreaterThanOrEqual(3);
    expect(coverage.splits).toBeGreaterThanOrEqual(3);
    expect(Math.max(...Object.values(previous.communities).map((c) => c.members))).toBeGreaterThan(12);
    // Not vacuous: the sequence had many communities and sent contact e-mails.
    const final = await stateOf(full);
    expect(Object.keys(final.communities).length).toBeGreaterThan(3);
    expect(final.mails.length).toBeGreaterThan(5);
    expect(counts.erase ?? 0).toBeGreaterThan(5);
  }, Math.max(60_000, STEPS * 400));

  it('should agree along a street many contact lists long, where the lists around a change are read in windows', async () => {
    // 2 × CONTACT_LIST_SIZE + 4 = 12 members on either side of a change are read; a street of 40 confirmed
    // full registrations 25 m apart is one community with changes in the middle and near both ends.
    const random = seededRandom(SEED + 1);
    const STREET = offsetMeters(ORIGIN, -4000, -4000);
    let clock = Date.parse('2026-06-01T00:00:00Z');
    const houses = Array.from({ length: 40 }, (_, index): Building => ({
      id: `s${String(index).padStart(3, '0')}`,
      type: 'registered',
      ...offsetMeters(STREET, 0, index * 25),
      consumption: 4500,
      pv: 8,
      confirmedAt: new Date((clock += 60_000)),
      confirmed: true,
    }));
    let state: State | undefined;
    for (const house of houses) state = await applyToBoth(house, false, `street ${house.id}`);
    const registeredIn = (current: State) => {
      const street = current.buildings[houses[20].id].community;
      return Object.values(current.buildings).filter((b) => b.community === street && b.registered).length;
    };
    expect(registeredIn(state!)).toBe(40);

    const alive = new Set(houses.map((house) => house.id));
    for (let step = 0; step < 40; step++) {
      const house = houses[Math.floor(random() * houses.length)];
      const kind = !alive.has(house.id) ? 'back' : (['erase', 'holder', 'unconfirm', 'between'] as const)[Math.floor(random() * 4)];
      if (kind === 'between') {
        const between = { ...house, id: `${house.id}-b${step}`, ...offsetMeters(STREET, 3, Number(house.id.slice(1)) * 25 + 12), confirmedAt: new Date((clock += 60_000)) };
        await applyToBoth(between, false, `street step ${step} (${kind} ${between.id})`);
        continue;
      }
      const changed = { ...house, confirmedAt: kind === 'erase' || kind === 'unconfirm' ? house.confirmedAt : new Date((clock += 60_000)), confirmed: kind !== 'unconfirm' };
      if (kind === 'erase') alive.delete(house.id);
      else alive.add(house.id);
      Object.assign(house, changed);
      state = await applyToBoth(changed, kind === 'erase', `street step ${step} (${kind} ${house.id})`);
    }
    expect(registeredIn(state!)).toBeGreaterThan(2 * 12 + 1);
  });
});

import { energyFromTotals } from './autarky';
import { buildCommunities, communityPolygonOf, EngineBuilding, withCommunityIds } from './communities';
import { communityIdFor } from './community-id';
import { EARTH_RADIUS_M } from '../../geo/geo';

const BASE_LAT = 47.47;
const BASE_LON = 8.3;

/** A building `northM` metres north of the base point (exact along the meridian). */
function building(id: string, northM: number, kwh: number, kwp: number): EngineBuilding {
  return {
    building_id: id,
    lat: BASE_LAT + ((northM / EARTH_RADIUS_M) * 180) / Math.PI,
    lon: BASE_LON,
    annual_consumption_kwh: kwh,
    potential_pv_kwp: kwp,
  };
}

describe(buildCommunities.name, () => {
  const opts = { radiusM: 150, minSamples: 2 };

  it('should group neighbours, leave lone buildings out and sum the members energy', () => {
    const buildings = [
      building('z-pair', 0, 5_000, 10),
      building('a-pair', 100, 3_000, 0),
      building('lonely', 1_000, 4_000, 8),
    ];
    const [community, ...rest] = buildCommunities(buildings, opts);
    expect(rest).toEqual([]);
    expect(community.member_ids).toEqual(['a-pair', 'z-pair']);
    expect(community.members.map((b) => b.building_id)).toEqual(['a-pair', 'z-pair']);
    expect(community.num_members).toBe(2);
    expect(community).toMatchObject(energyFromTotals(8_000, 10));
  });

  it('should rank by autarky, highest first', () => {
    const buildings = [
      building('low-1', 0, 10_000, 1),
      building('low-2', 50, 10_000, 1),
      building('high-1', 2_000, 2_000, 20),
      building('high-2', 2_050, 2_000, 20),
    ];
    const ranked = buildCommunities(buildings, opts);
    expect(ranked.map((c) => c.member_ids)).toEqual([
      ['high-1', 'high-2'],
      ['low-1', 'low-2'],
    ]);
    expect(ranked[0].autarky_percent).toBeGreaterThan(ranked[1].autarky_percent);
  });

  it('should break autarky ties by more members first, then by the smaller first member id', () => {
    // Without PV every community has exactly 0 % autarky: a true tie.
    const buildings = [
      building('m', 0, 4_000, 0),
      building('n', 50, 4_000, 0),
      building('b', 2_000, 4_000, 0),
      building('c', 2_050, 4_000, 0),
      building('x', 4_000, 4_000, 0),
      building('y', 4_050, 4_000, 0),
      building('z', 4_100, 4_000, 0),
    ];
    const ranked = buildCommunities(buildings, opts);
    expect(ranked.map((c) => c.autarky_percent)).toEqual([0, 0, 0]);
    expect(ranked.map((c) => c.member_ids[0])).toEqual(['x', 'b', 'm']);
  });

  it('should refuse duplicate building ids', () => {
    expect(() => buildCommunities([building('a', 0, 1, 1), building('a', 10, 1, 1)], opts)).toThrow(/a appears more than once/);
  });

  it('should return nothing for no buildings', () => {
    expect(buildCommunities([], opts)).toEqual([]);
  });
});

describe(withCommunityIds.name, () => {
  it('should attach reused and fresh ids in one call', () => {
    const communities = [{ member_ids: ['a', 'b', 'n'] }, { member_ids: ['p', 'q'] }];
    const previous = new Map([['c_kept', ['a', 'b']]]);
    expect(withCommunityIds(communities, previous)).toEqual([
      { member_ids: ['a', 'b', 'n'], community_id: 'c_kept' },
      { member_ids: ['p', 'q'], community_id: communityIdFor(['p', 'q']) },
    ]);
  });
});

describe(communityPolygonOf.name, () => {
  const [community] = buildCommunities([building('a', 0, 1, 1), building('b', 100, 1, 1)], { radiusM: 150, minSamples: 2 });

  it('should outline the exact positions by default', () => {
    const ring = communityPolygonOf(community);
    expect(ring[0][0]).toBeCloseTo(BASE_LAT - 0.0003, 12);
    expect(ring[0][1]).toBeCloseTo(BASE_LON - 0.0003, 12);
  });

  it('should outline the positions the caller provides', () => {
    const ring = communityPolygonOf(community, () => ({ lat: 46, lon: 7 }));
    expect(ring[0]).toEqual([46 - 0.0005, 7 - 0.0005]);
  });
});

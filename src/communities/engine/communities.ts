import { communityEnergy } from './autarky';
import { assignCommunityIds, compareIds } from './community-id';
import { ClusterOptions, clusterPoints } from './dbscan';
import { LatLon } from '../../geo/geo';
import { communityPolygon, Ring } from './polygon';

export interface EngineBuilding {
  building_id: string;
  lat: number;
  lon: number;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
}

export interface RankedCommunity<B extends EngineBuilding = EngineBuilding> {
  /** Sorted ascending. */
  member_ids: string[];
  /** In the order of member_ids. */
  members: B[];
  autarky_percent: number;
  total_consumption_mwh: number;
  total_production_mwh: number;
  num_members: number;
}

/**
 * Clusters the buildings into communities and ranks them by autarky (descending); ties go to the community with
 * more members, then to the one with the smaller first member id, so the order is fully deterministic.
 * Buildings in no community (noise) do not appear.
 */
export function buildCommunities<B extends EngineBuilding>(buildings: readonly B[], opts: ClusterOptions): RankedCommunity<B>[] {
  assertUniqueIds(buildings);
  const communities = clusterPoints(buildings, opts).map((indices) => describeCommunity(indices.map((i) => buildings[i])));
  return communities.sort(
    (a, b) =>
      b.autarky_percent - a.autarky_percent ||
      b.num_members - a.num_members ||
      compareIds(a.member_ids[0], b.member_ids[0]),
  );
}

function describeCommunity<B extends EngineBuilding>(buildings: B[]): RankedCommunity<B> {
  const members = [...buildings].sort((a, b) => compareIds(a.building_id, b.building_id));
  return {
    member_ids: members.map((b) => b.building_id),
    members,
    ...communityEnergy(members),
    num_members: members.length,
  };
}

function assertUniqueIds(buildings: readonly EngineBuilding[]): void {
  const seen = new Set<string>();
  for (const { building_id } of buildings) {
    if (seen.has(building_id)) {
      throw new RangeError(`building ${building_id} appears more than once`);
    }
    seen.add(building_id);
  }
}

/** The communities with their stable ids: see assignCommunityIds. */
export function withCommunityIds<C extends { member_ids: string[] }>(
  communities: readonly C[],
  previous: ReadonlyMap<string, readonly string[]>,
  secret?: Buffer | string,
): (C & { community_id: string })[] {
  const ids = assignCommunityIds(
    communities.map((c) => c.member_ids),
    previous,
    secret,
  );
  return communities.map((c, i) => ({ ...c, community_id: ids[i] }));
}

/**
 * A community's outline from the positions the caller may show: pass e.g.
 * `(b) => jitterPosition(b.building_id, b.lat, b.lon, secret, radiusM)` for a public map; exact positions otherwise.
 */
export function communityPolygonOf<B extends EngineBuilding>(community: RankedCommunity<B>, position: (building: B) => LatLon = (b) => b): Ring {
  return communityPolygon(community.members.map(position));
}

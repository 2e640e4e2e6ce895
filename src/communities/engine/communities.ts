import { energyFromTotals } from './autarky';
import { compareIds } from './community-id';
import { ClusterOptions, clusterLabels, NOISE } from './dbscan';
import { LatLon } from '../../geo/geo';
import { orderOfIds } from './id-order';
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
  const byId = orderOfUniqueIds(buildings.map((b) => b.building_id));
  const labels = clusterLabels(buildings, opts);
  return gatherCommunities(buildings, byId, labels).sort(byRank);
}

/**
 * Indices in id order. One sort of all ids serves two ends: every community's members come out already in id
 * order, and a duplicate id lands right next to its twin.
 */
function orderOfUniqueIds(ids: readonly string[]): Uint32Array {
  const byId = orderOfIds(ids);
  for (let k = 1; k < byId.length; k++) {
    if (ids[byId[k]] === ids[byId[k - 1]]) {
      throw new RangeError(`building ${ids[byId[k]]} appears more than once`);
    }
  }
  return byId;
}

/**
 * The communities, members in id order. Consumption and PV are summed in that order as well, just as
 * communityEnergy(members) would: the totals are the same to the last bit.
 */
function gatherCommunities<B extends EngineBuilding>(buildings: readonly B[], byId: Uint32Array, labels: Int32Array): RankedCommunity<B>[] {
  const count = clusterCount(labels);
  const members = Array.from({ length: count }, (): B[] => []);
  const memberIds = Array.from({ length: count }, (): string[] => []);
  const consumptionKwh = new Float64Array(count);
  const pvKwp = new Float64Array(count);
  for (const i of byId) {
    const label = labels[i];
    if (label === NOISE) {
      continue;
    }
    const building = buildings[i];
    members[label].push(building);
    memberIds[label].push(building.building_id);
    consumptionKwh[label] += building.annual_consumption_kwh;
    pvKwp[label] += building.potential_pv_kwp;
  }
  return members.map((cluster, label) => ({
    member_ids: memberIds[label],
    members: cluster,
    ...energyFromTotals(consumptionKwh[label], pvKwp[label]),
    num_members: cluster.length,
  }));
}

function clusterCount(labels: Int32Array): number {
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    count = Math.max(count, labels[i] + 1);
  }
  return count;
}

function byRank(a: RankedCommunity, b: RankedCommunity): number {
  return b.autarky_percent - a.autarky_percent || b.num_members - a.num_members || compareIds(a.member_ids[0], b.member_ids[0]);
}

/**
 * A community's outline from the positions the caller may show: pass e.g.
 * `(b) => jitterPosition(b.building_id, b.lat, b.lon, secret, radiusM)` for a public map; exact positions otherwise.
 */
export function communityPolygonOf<B extends EngineBuilding>(community: RankedCommunity<B>, position: (building: B) => LatLon = (b) => b): Ring {
  return communityPolygon(community.members.map(position));
}

/**
 * The community engine as it was before the performance rewrite (commit fec8452): grid DBSCAN with a comparison
 * sort and per-point neighbour scans, the energy model's pass over the year per community, members sorted per
 * community. Kept only so that bench/engine.ts can time both in one run and check that they agree on large data
 * sets; the application does not use it.
 */
import { energyStepByStep } from '../src/communities/engine/autarky';
import { EngineBuilding } from '../src/communities/engine/communities';
import { compareIds } from '../src/communities/engine/community-id';
import { ClusterOptions } from '../src/communities/engine/dbscan';
import { DEG_TO_RAD, EARTH_RADIUS_M, haversineTermForDistance } from '../src/geo/geo';

export interface PreviousCommunity<B extends EngineBuilding> {
  member_ids: string[];
  members: B[];
  autarky_percent: number;
  total_consumption_mwh: number;
  total_production_mwh: number;
  num_members: number;
}

export function previousBuildCommunities<B extends EngineBuilding>(buildings: readonly B[], opts: ClusterOptions): PreviousCommunity<B>[] {
  assertUniqueIds(buildings);
  const communities = clusterPoints(buildings, opts).map((indices) => describeCommunity(indices.map((i) => buildings[i])));
  return communities.sort(
    (a, b) =>
      b.autarky_percent - a.autarky_percent ||
      b.num_members - a.num_members ||
      compareIds(a.member_ids[0], b.member_ids[0]),
  );
}

function describeCommunity<B extends EngineBuilding>(buildings: B[]): PreviousCommunity<B> {
  const members = [...buildings].sort((a, b) => compareIds(a.building_id, b.building_id));
  let consumptionKwh = 0;
  let pvKwp = 0;
  for (const member of members) {
    consumptionKwh += member.annual_consumption_kwh;
    pvKwp += member.potential_pv_kwp;
  }
  return {
    member_ids: members.map((b) => b.building_id),
    members,
    ...energyStepByStep(consumptionKwh, pvKwp),
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

/**
 * Distances that differ from the radius by less than this count as equal to it. Without it a pair built to lie
 * exactly on the radius could fall out by a rounding error in the degree → radian conversion.
 */
const DISTANCE_TOLERANCE_M = 1e-6;

/** Cells are widened by this factor so that rounding in the cell arithmetic can never split true neighbours. */
const CELL_MARGIN = 1 + 1e-9;

/** Keeps row · columns + column an exact integer in a double. */
const MAX_CELL_KEYS = 2 ** 50;

const UNLABELLED = -1;

// Module-level bindings, not a global lookup per call: under jest's vm sandbox each global `Math` lookup goes
// through the context's interceptor and makes the per-point loops about twenty times slower.
const { abs, asin, cos, floor, max, min, sin } = Math;
const { isFinite: isFiniteNumber } = Number;

/**
 * DBSCAN over geographic points. Returns the clusters as arrays of indices into `points`, each sorted ascending,
 * clusters ordered by their smallest index; noise is left out.
 *
 * Border points join the first cluster that reaches them, clusters being grown from core points in index order.
 * With minSamples = 2 the clusters are the connected components (of size ≥ 2) of the "within radius" graph.
 *
 * Longitudes are not wrapped at ±180°: points on both sides of the antimeridian are never neighbours.
 */
function clusterPoints<T extends { lat: number; lon: number }>(points: readonly T[], opts: ClusterOptions): number[][] {
  validateOptions(opts);
  const n = points.length;
  if (n === 0) {
    return [];
  }
  const coords = toRadians(points);
  const grid = buildGrid(coords, opts.radiusM);
  const maxTerm = haversineTermForDistance(opts.radiusM + DISTANCE_TOLERANCE_M);
  const isCore = findCorePoints(coords, grid, maxTerm, opts.minSamples);
  const labels = expandClusters(coords, grid, maxTerm, isCore);
  return groupByLabel(labels);
}

function validateOptions(opts: ClusterOptions): void {
  if (!Number.isFinite(opts.radiusM) || opts.radiusM < 0) {
    throw new RangeError(`radiusM must be a finite number ≥ 0, got ${opts.radiusM}`);
  }
  if (!Number.isInteger(opts.minSamples) || opts.minSamples < 1) {
    throw new RangeError(`minSamples must be an integer ≥ 1, got ${opts.minSamples}`);
  }
}

interface Coords {
  lat: Float64Array;
  lon: Float64Array;
  cosLat: Float64Array;
}

function toRadians(points: readonly { lat: number; lon: number }[]): Coords {
  const n = points.length;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const cosLat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (!isFiniteNumber(p.lat) || !isFiniteNumber(p.lon) || abs(p.lat) > 90) {
      throw new RangeError(`point ${i} has invalid coordinates (${p.lat}, ${p.lon})`);
    }
    lat[i] = p.lat * DEG_TO_RAD;
    lon[i] = p.lon * DEG_TO_RAD;
    cosLat[i] = cos(lat[i]);
  }
  return { lat, lon, cosLat };
}

/**
 * Points bucketed into cells of a latitude/longitude grid, stored CSR-style: the points of cell c are
 * order[cellStart[c] .. cellStart[c + 1]). neighbourCells[9c .. 9c + 9) lists the non-empty cells of the 3 × 3
 * block around c (-1 where empty).
 */
interface Grid {
  order: Uint32Array;
  cellStart: Uint32Array;
  cellOfPoint: Uint32Array;
  neighbourCells: Int32Array;
}

function buildGrid(coords: Coords, radiusM: number): Grid {
  const n = coords.lat.length;
  let { cellLat, cellLon } = safeCellSize(coords, radiusM);
  const bounds = extent(coords);
  let rows = floor((bounds.maxLat - bounds.minLat) / cellLat) + 1;
  let cols = floor((bounds.maxLon - bounds.minLon) / cellLon) + 1;
  // A tiny radius over a large area: coarser cells stay correct, they only cost more distance checks.
  while (rows * cols > MAX_CELL_KEYS) {
    cellLat *= 2;
    cellLon *= 2;
    rows = floor((bounds.maxLat - bounds.minLat) / cellLat) + 1;
    cols = floor((bounds.maxLon - bounds.minLon) / cellLon) + 1;
  }

  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = floor((coords.lat[i] - bounds.minLat) / cellLat);
    const col = floor((coords.lon[i] - bounds.minLon) / cellLon);
    keys[i] = row * cols + col;
  }
  const order = sortIndicesByKey(keys);

  const cellStartList: number[] = [];
  const cellKeyList: number[] = [];
  const cellOfPoint = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (k === 0 || keys[i] !== keys[order[k - 1]]) {
      cellStartList.push(k);
      cellKeyList.push(keys[i]);
    }
    cellOfPoint[i] = cellKeyList.length - 1;
  }
  cellStartList.push(n);

  const cellKeys = Float64Array.from(cellKeyList);
  return {
    order,
    cellStart: Uint32Array.from(cellStartList),
    cellOfPoint,
    neighbourCells: findNeighbourCells(cellKeys, cols),
  };
}

/**
 * Cell sizes in radians such that any two points within radiusM lie at most one cell apart on each axis.
 * Latitude: R·|Δφ| ≤ distance. Longitude: from the haversine formula sin(|Δλ|/2) ≤ sin(d/2R) / cos φ for the
 * largest |φ| present, so the bound holds for every pair in the data set.
 */
function safeCellSize(coords: Coords, radiusM: number): { cellLat: number; cellLon: number } {
  // A zero radius still needs a positive cell; any larger cell is safe.
  const effectiveRadius = max(radiusM + DISTANCE_TOLERANCE_M, 1e-3);
  const angle = effectiveRadius / EARTH_RADIUS_M;
  let minCos = 1;
  for (let i = 0; i < coords.cosLat.length; i++) {
    minCos = min(minCos, coords.cosLat[i]);
  }
  const sinHalfLon = sin(angle / 2) / max(minCos, 1e-12);
  const cellLon = sinHalfLon >= 1 ? 2 * Math.PI : 2 * asin(sinHalfLon);
  return { cellLat: angle * CELL_MARGIN, cellLon: cellLon * CELL_MARGIN };
}

function extent(coords: Coords): { minLat: number; maxLat: number; minLon: number; maxLon: number } {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (let i = 0; i < coords.lat.length; i++) {
    minLat = min(minLat, coords.lat[i]);
    maxLat = max(maxLat, coords.lat[i]);
    minLon = min(minLon, coords.lon[i]);
    maxLon = max(maxLon, coords.lon[i]);
  }
  return { minLat, maxLat, minLon, maxLon };
}

function sortIndicesByKey(keys: Float64Array): Uint32Array {
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
  }
  // Ties by index keep the grid (and so the whole result) independent of the engine's sort stability.
  order.sort((a, b) => keys[a] - keys[b] || a - b);
  return order;
}

function findNeighbourCells(cellKeys: Float64Array, cols: number): Int32Array {
  const cellCount = cellKeys.length;
  const neighbours = new Int32Array(cellCount * 9).fill(-1);
  for (let c = 0; c < cellCount; c++) {
    const key = cellKeys[c];
    const col = key % cols;
    let slot = 0;
    for (let dRow = -1; dRow <= 1; dRow++) {
      for (let dCol = -1; dCol <= 1; dCol++) {
        // Without this check, col + dCol would wrap into the neighbouring row.
        if (col + dCol < 0 || col + dCol >= cols) {
          continue;
        }
        const found = binarySearch(cellKeys, key + dRow * cols + dCol);
        if (found >= 0) {
          neighbours[c * 9 + slot++] = found;
        }
      }
    }
  }
  return neighbours;
}

function binarySearch(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v === value) {
      return mid;
    }
    if (v < value) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return -1;
}

/**
 * Calls visit(j) for every j within the radius of point i (i itself included), stopping early when visit
 * returns false. Kept as one function so the core-point pass and the expansion pass share the exact same test.
 */
function forEachNeighbour(coords: Coords, grid: Grid, maxTerm: number, i: number, visit: (j: number) => boolean): void {
  const { lat, lon, cosLat } = coords;
  const lat1 = lat[i];
  const lon1 = lon[i];
  const cos1 = cosLat[i];
  const base = grid.cellOfPoint[i] * 9;
  for (let s = 0; s < 9; s++) {
    const cell = grid.neighbourCells[base + s];
    if (cell < 0) {
      return;
    }
    const end = grid.cellStart[cell + 1];
    for (let k = grid.cellStart[cell]; k < end; k++) {
      const j = grid.order[k];
      const sinHalfDLat = sin((lat[j] - lat1) / 2);
      const sinHalfDLon = sin((lon[j] - lon1) / 2);
      const h = sinHalfDLat * sinHalfDLat + cos1 * cosLat[j] * sinHalfDLon * sinHalfDLon;
      if (h <= maxTerm && !visit(j)) {
        return;
      }
    }
  }
}

function findCorePoints(coords: Coords, grid: Grid, maxTerm: number, minSamples: number): Uint8Array {
  const n = coords.lat.length;
  const isCore = new Uint8Array(n);
  if (minSamples <= 1) {
    return isCore.fill(1);
  }
  let count = 0;
  const countUntilCore = (): boolean => ++count < minSamples;
  for (let i = 0; i < n; i++) {
    count = 0;
    forEachNeighbour(coords, grid, maxTerm, i, countUntilCore);
    isCore[i] = count >= minSamples ? 1 : 0;
  }
  return isCore;
}

/** Breadth-first growth with an explicit queue: deep recursion would overflow the stack on long chains. */
function expandClusters(coords: Coords, grid: Grid, maxTerm: number, isCore: Uint8Array): Int32Array {
  const n = coords.lat.length;
  const labels = new Int32Array(n).fill(UNLABELLED);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  let label = 0;
  const claim = (j: number): boolean => {
    if (labels[j] === UNLABELLED) {
      labels[j] = label;
      // Only core points spread the cluster; border points are labelled but not expanded.
      if (isCore[j] === 1) {
        queue[tail++] = j;
      }
    }
    return true;
  };
  for (let seed = 0; seed < n; seed++) {
    if (isCore[seed] === 0 || labels[seed] !== UNLABELLED) {
      continue;
    }
    head = 0;
    tail = 0;
    claim(seed);
    while (head < tail) {
      forEachNeighbour(coords, grid, maxTerm, queue[head++], claim);
    }
    label++;
  }
  return labels;
}

function groupByLabel(labels: Int32Array): number[][] {
  const clusters: number[][] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === UNLABELLED) {
      continue;
    }
    (clusters[label] ??= []).push(i);
  }
  // Indices were pushed in ascending order; only the clusters themselves need ordering.
  return clusters.sort((a, b) => a[0] - b[0]);
}

import { DEG_TO_RAD, haversineTermForDistance } from '../../geo/geo';

export interface ClusterOptions {
  /** Two points are neighbours when their great-circle distance is ≤ radiusM. */
  radiusM: number;
  /** Points (the point itself included) a neighbourhood needs for its centre to be a core point. */
  minSamples: number;
}

/**
 * Distances that differ from the radius by less than this count as equal to it. Without it a pair built to lie
 * exactly on the radius could fall out by a rounding error in the degree → radian conversion.
 */
const DISTANCE_TOLERANCE_M = 1e-6;

/**
 * Share of the haversine budget (the term of the radius) each axis of a cell may use. Two points of one cell then
 * have h ≤ 2 · 0.45 · maxTerm, so every cell is a clique of neighbours; the 10 % left over absorbs rounding in the
 * cell index (a few hundredths of a cell at most, even for cells of a micrometre over the whole globe).
 */
const CELL_TERM_SHARE = 0.45;

/** Added to the reach in cells: rounding can move a point's cell index by a few hundredths of a cell. */
const REACH_ROUNDING_CELLS = 0.1;

/** Digits of the radix sort of cell coordinates. */
const RADIX = 4096;

export const NOISE = -1;

// What a point is to DBSCAN, by position. An isolated point has no neighbour but itself: it is noise whatever the
// clusters, and needs no second scan for a core neighbour.
const ISOLATED = 0;
const CORE = 1;
const BORDER_CANDIDATE = 2;

// Module-level bindings, not a global lookup per call: under jest's vm sandbox each global `Math` lookup goes
// through the context's interceptor and makes the per-point loops about twenty times slower.
const { abs, asin, cos, floor, max, min, sin, sqrt } = Math;
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
export function clusterPoints<T extends { lat: number; lon: number }>(points: readonly T[], opts: ClusterOptions): number[][] {
  return groupByLabel(clusterLabels(points, opts));
}

/**
 * The cluster of each point, NOISE for none. Clusters are numbered in the order DBSCAN grows them: by the smallest
 * index of their core points. The same clustering as clusterPoints, without building one array per cluster.
 *
 * The grid's cells are small enough that all points of a cell are neighbours: a cell with minSamples points is all
 * core, and two cells are joined by the first pair of their core points found within the radius. Every pair that
 * is compared at all goes through the same haversine test as in a pair-by-pair DBSCAN, so the result is that
 * DBSCAN's; the cells only spare the comparisons whose outcome is already known.
 */
export function clusterLabels<T extends { lat: number; lon: number }>(points: readonly T[], opts: ClusterOptions): Int32Array {
  validateOptions(opts);
  if (points.length === 0) {
    return new Int32Array(0);
  }
  const maxTerm = haversineTermForDistance(opts.radiusM + DISTANCE_TOLERANCE_M);
  const grid = buildGrid(toRadians(points), maxTerm);
  const roles = classifyPoints(grid, maxTerm, opts.minSamples);
  const components = joinCoreCells(grid, maxTerm, roles);
  return labelPoints(grid, maxTerm, roles, components);
}

/**
 * The neighbour test of clusterLabels for one pair, with the same arithmetic (see isWithin): code that
 * finds neighbours outside the engine (the incremental recomputation, by database queries) must decide
 * exactly as the engine does, or the two would disagree on a pair lying on the radius.
 */
export function areNeighbours(a: { lat: number; lon: number }, b: { lat: number; lon: number }, radiusM: number): boolean {
  const lat1 = a.lat * DEG_TO_RAD;
  const lat2 = b.lat * DEG_TO_RAD;
  const sinHalfDLat = sin((lat2 - lat1) / 2);
  const sinHalfDLon = sin((b.lon * DEG_TO_RAD - a.lon * DEG_TO_RAD) / 2);
  return sinHalfDLat * sinHalfDLat + cos(lat1) * cos(lat2) * sinHalfDLon * sinHalfDLon <= haversineTermForDistance(radiusM + DISTANCE_TOLERANCE_M);
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
 * Points bucketed into the cells of a latitude/longitude grid. Cells are numbered by row, then column; the points
 * are stored by position, cell after cell: the points of cell c are at positions cellStart[c] .. cellStart[c + 1].
 * The coordinates are stored by position so that scanning a run of cells reads memory in sequence.
 *
 * Two neighbours lie at most `reach` rows apart, and the cells of one row within reach of a cell are consecutive:
 * for cell c and row offset k (0 .. rowsInReach - 1, i.e. -reach .. +reach) they are the cells
 * nearFirst[c · rowsInReach + k] .. nearEnd[c · rowsInReach + k].
 */
interface Grid {
  /** The position of each input index. */
  position: Uint32Array;
  lat: Float64Array;
  lon: Float64Array;
  cosLat: Float64Array;
  cellStart: Uint32Array;
  cellRow: Float64Array;
  cellCol: Float64Array;
  rowsInReach: number;
  nearFirst: Uint32Array;
  nearEnd: Uint32Array;
}

interface CellLayout {
  cellLat: number;
  cellLon: number;
  reachRows: number;
  reachCols: number;
}

/** Input indices in cell order, with the row and column of each. */
interface CellOrder {
  order: Uint32Array;
  row: Float64Array;
  col: Float64Array;
}

function buildGrid(coords: Coords, maxTerm: number): Grid {
  const layout = cellLayout(coords, maxTerm);
  const { order, row, col } = sortByCell(cellsOf(coords, layout));
  const n = order.length;
  // Scattered writes, not scattered reads: a write does not wait for memory, which makes it several times cheaper.
  const position = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    position[order[k]] = k;
  }
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const cosLat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = position[i];
    lat[p] = coords.lat[i];
    lon[p] = coords.lon[i];
    cosLat[p] = coords.cosLat[i];
  }
  const cellStart = startsOfRuns(row, col);
  const cellCount = cellStart.length - 1;
  const cellRow = new Float64Array(cellCount);
  const cellCol = new Float64Array(cellCount);
  for (let c = 0; c < cellCount; c++) {
    cellRow[c] = row[cellStart[c]];
    cellCol[c] = col[cellStart[c]];
  }
  return { position, lat, lon, cosLat, cellStart, cellRow, cellCol, ...cellsInReach(cellRow, cellCol, layout) };
}

/** The row and column of each point, in input order. */
function cellsOf(coords: Coords, layout: CellLayout): CellOrder {
  const n = coords.lat.length;
  const { minLat, minLon } = extent(coords);
  const row = new Float64Array(n);
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row[i] = floor((coords.lat[i] - minLat) / layout.cellLat);
    col[i] = floor((coords.lon[i] - minLon) / layout.cellLon);
  }
  return { order: identity(n), row, col };
}

/** Where each run of equal (row, column) starts, and the length at the end. */
function startsOfRuns(row: Float64Array, col: Float64Array): Uint32Array {
  const starts = new Uint32Array(row.length + 1);
  let count = 0;
  for (let k = 0; k < row.length; k++) {
    if (k === 0 || row[k] !== row[k - 1] || col[k] !== col[k - 1]) {
      starts[count++] = k;
    }
  }
  starts[count++] = row.length;
  return starts.slice(0, count);
}

/**
 * Cell sizes in radians that make every cell a clique, and how many cells apart two neighbours can be.
 * Latitude: sin²(Δφ/2) ≤ h, so neighbours are at most 2·asin(√maxTerm) apart. Longitude: cos φ1 · cos φ2 ·
 * sin²(Δλ/2) ≤ h gives at most 2·asin(√maxTerm / cos φ) for the largest |φ| present, or any distance near a pole.
 * Inside a cell cos φ1 · cos φ2 is at most the square of the largest cosine present.
 */
function cellLayout(coords: Coords, maxTerm: number): CellLayout {
  let minCos = 1;
  let maxCos = 0;
  for (let i = 0; i < coords.cosLat.length; i++) {
    minCos = min(minCos, coords.cosLat[i]);
    maxCos = max(maxCos, coords.cosLat[i]);
  }
  const sinHalfCell = sqrt(CELL_TERM_SHARE * maxTerm);
  const cellLat = 2 * asin(sinHalfCell);
  // cos φ > 0 even at ±90° (cos of the double nearest π/2 is about 6e-17): the divisions stay finite.
  const cellLon = 2 * asin(min(1, sinHalfCell / maxCos));
  const sinHalfReachLon = sqrt(maxTerm) / minCos;
  return {
    cellLat,
    cellLon,
    reachRows: cellsWithin(2 * asin(sqrt(maxTerm)), cellLat),
    reachCols: sinHalfReachLon >= 1 ? Infinity : cellsWithin(2 * asin(sinHalfReachLon), cellLon),
  };
}

/** The largest difference of cell indices of two points at most `angle` apart (|floor(a) - floor(b)| ≤ ⌈|a - b|⌉). */
function cellsWithin(angle: number, cellSize: number): number {
  return floor(angle / cellSize + REACH_ROUNDING_CELLS) + 1;
}

function extent(coords: Coords): { minLat: number; minLon: number } {
  let minLat = Infinity;
  let minLon = Infinity;
  for (let i = 0; i < coords.lat.length; i++) {
    minLat = min(minLat, coords.lat[i]);
    minLon = min(minLon, coords.lon[i]);
  }
  return { minLat, minLon };
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  return order;
}

/**
 * A stable least-significant-digit radix sort by column, then by row (integers ≥ 0 held in doubles, up to 2^53):
 * linear, and without the comparator call per comparison of Array.prototype.sort. The keys travel with the
 * indices, so every pass reads memory in sequence; two sets of arrays take turns.
 */
function sortByCell(unsorted: CellOrder): CellOrder {
  const n = unsorted.order.length;
  let from = unsorted;
  let to: CellOrder = { order: new Uint32Array(n), row: new Float64Array(n), col: new Float64Array(n) };
  for (const key of ['col', 'row'] as const) {
    const largest = maximum(from[key]);
    for (let scale = 1; scale <= largest; scale *= RADIX) {
      radixPass(from, to, from[key], scale);
      [from, to] = [to, from];
    }
  }
  return from;
}

/** One stable counting-sort pass by the digit floor(key / scale) mod RADIX. */
function radixPass(from: CellOrder, to: CellOrder, key: Float64Array, scale: number): void {
  const n = key.length;
  const counts = new Uint32Array(RADIX + 1);
  for (let k = 0; k < n; k++) {
    counts[(floor(key[k] / scale) % RADIX) + 1]++;
  }
  for (let d = 1; d <= RADIX; d++) {
    counts[d] += counts[d - 1];
  }
  for (let k = 0; k < n; k++) {
    const p = counts[floor(key[k] / scale) % RADIX]++;
    to.order[p] = from.order[k];
    to.row[p] = from.row[k];
    to.col[p] = from.col[k];
  }
}

function maximum(values: Float64Array): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    largest = max(largest, values[i]);
  }
  return largest;
}

/**
 * For each cell and each row within reach, the consecutive cells of that row within reach. Rows are walked in
 * step: within one row the cells come by column, so the window into a neighbouring row only moves forward.
 */
function cellsInReach(cellRow: Float64Array, cellCol: Float64Array, layout: CellLayout): Pick<Grid, 'rowsInReach' | 'nearFirst' | 'nearEnd'> {
  const cellCount = cellRow.length;
  const { reachRows, reachCols } = layout;
  const rowsInReach = 2 * reachRows + 1;
  const rowStarts = startsOfRows(cellRow);
  const nearFirst = new Uint32Array(cellCount * rowsInReach);
  const nearEnd = new Uint32Array(cellCount * rowsInReach);
  for (let r = 0; r + 1 < rowStarts.length; r++) {
    const rowBegin = rowStarts[r];
    const rowEnd = rowStarts[r + 1];
    for (let k = 0; k < rowsInReach; k++) {
      const target = findRow(cellRow, rowStarts, r, cellRow[rowBegin] + k - reachRows, reachRows);
      if (target < 0) {
        continue;
      }
      let first = rowStarts[target];
      let end = first;
      const targetEnd = rowStarts[target + 1];
      for (let c = rowBegin; c < rowEnd; c++) {
        while (first < targetEnd && cellCol[first] < cellCol[c] - reachCols) {
          first++;
        }
        end = max(end, first);
        while (end < targetEnd && cellCol[end] <= cellCol[c] + reachCols) {
          end++;
        }
        nearFirst[c * rowsInReach + k] = first;
        nearEnd[c * rowsInReach + k] = end;
      }
    }
  }
  return { rowsInReach, nearFirst, nearEnd };
}

/** The first cell of each distinct row, and the cell count at the end. */
function startsOfRows(cellRow: Float64Array): Uint32Array {
  const starts = new Uint32Array(cellRow.length + 1);
  let count = 0;
  for (let c = 0; c < cellRow.length; c++) {
    if (c === 0 || cellRow[c] !== cellRow[c - 1]) {
      starts[count++] = c;
    }
  }
  starts[count++] = cellRow.length;
  return starts.slice(0, count);
}

/** The index among the distinct rows of the row numbered `row`, or -1; it is at most `reachRows` away from `from`. */
function findRow(cellRow: Float64Array, rowStarts: Uint32Array, from: number, row: number, reachRows: number): number {
  const last = min(rowStarts.length - 2, from + reachRows);
  for (let r = max(0, from - reachRows); r <= last; r++) {
    if (cellRow[rowStarts[r]] === row) {
      return r;
    }
  }
  return -1;
}

/** Whether the points at positions p and q are neighbours: the haversine term against the radius's. */
function isWithin(grid: Grid, maxTerm: number, p: number, q: number): boolean {
  const { lat, lon, cosLat } = grid;
  const sinHalfDLat = sin((lat[q] - lat[p]) / 2);
  const sinHalfDLon = sin((lon[q] - lon[p]) / 2);
  return sinHalfDLat * sinHalfDLat + cosLat[p] * cosLat[q] * sinHalfDLon * sinHalfDLon <= maxTerm;
}

/** The role of each point, by position. A cell is a clique, so a cell with minSamples points needs no distance at all. */
function classifyPoints(grid: Grid, maxTerm: number, minSamples: number): Uint8Array {
  const { cellStart } = grid;
  const roles = new Uint8Array(grid.position.length);
  for (let c = 0; c + 1 < cellStart.length; c++) {
    const begin = cellStart[c];
    const end = cellStart[c + 1];
    if (end - begin >= minSamples) {
      roles.fill(CORE, begin, end);
      continue;
    }
    for (let p = begin; p < end; p++) {
      const count = countNeighbours(grid, maxTerm, c, p, minSamples);
      roles[p] = count >= minSamples ? CORE : count > 1 ? BORDER_CANDIDATE : ISOLATED;
    }
  }
  return roles;
}

/** Neighbours of the point at position p in cell c, itself included, counted up to `limit`. */
function countNeighbours(grid: Grid, maxTerm: number, c: number, p: number, limit: number): number {
  const { cellStart, rowsInReach, nearFirst, nearEnd } = grid;
  let count = 0;
  for (let k = c * rowsInReach; k < (c + 1) * rowsInReach; k++) {
    const end = cellStart[nearEnd[k]];
    for (let q = cellStart[nearFirst[k]]; q < end; q++) {
      if (isWithin(grid, maxTerm, p, q) && ++count >= limit) {
        return count;
      }
    }
  }
  return count;
}

/**
 * Union-find over positions joining core points that are neighbours: the clusters without their border points.
 * The core points of a cell are one clique; two cells are joined by the first neighbouring pair of core points
 * found. Adjacent cells are joined first: in dense areas that already connects the more distant cells in reach,
 * whose pairs then need no search (a search between unconnected cells that finds nothing costs every pair).
 */
function joinCoreCells(grid: Grid, maxTerm: number, roles: Uint8Array): Uint32Array {
  const parent = identity(grid.position.length);
  const firstCore = new Int32Array(grid.cellRow.length).fill(-1);
  for (let c = 0; c < firstCore.length; c++) {
    for (let p = grid.cellStart[c]; p < grid.cellStart[c + 1]; p++) {
      if (roles[p] !== CORE) {
        continue;
      }
      if (firstCore[c] < 0) {
        firstCore[c] = p;
      }
      parent[p] = firstCore[c];
    }
  }
  joinNearCells(grid, maxTerm, roles, parent, firstCore, true);
  joinNearCells(grid, maxTerm, roles, parent, firstCore, false);
  return parent;
}

/** Joins each cell with the later cells in reach that are (adjacent = true) or are not (false) next to it. */
function joinNearCells(grid: Grid, maxTerm: number, roles: Uint8Array, parent: Uint32Array, firstCore: Int32Array, adjacent: boolean): void {
  const { cellCol, rowsInReach, nearFirst, nearEnd } = grid;
  const reachRows = (rowsInReach - 1) / 2;
  for (let a = 0; a < firstCore.length; a++) {
    if (firstCore[a] < 0) {
      continue;
    }
    for (let k = 0; k < rowsInReach; k++) {
      const rowIsAdjacent = abs(k - reachRows) <= 1;
      if (adjacent && !rowIsAdjacent) {
        continue;
      }
      const end = nearEnd[a * rowsInReach + k];
      // Each pair once: only the cells after a (later rows, or further along its own row).
      for (let b = max(a + 1, nearFirst[a * rowsInReach + k]); b < end; b++) {
        if (firstCore[b] < 0 || (rowIsAdjacent && abs(cellCol[b] - cellCol[a]) <= 1) !== adjacent) {
          continue;
        }
        const rootA = find(parent, firstCore[a]);
        const rootB = find(parent, firstCore[b]);
        if (rootA !== rootB && hasCorePairWithin(grid, maxTerm, roles, a, b)) {
          parent[max(rootA, rootB)] = min(rootA, rootB);
        }
      }
    }
  }
}

function hasCorePairWithin(grid: Grid, maxTerm: number, roles: Uint8Array, a: number, b: number): boolean {
  const { cellStart } = grid;
  for (let p = cellStart[a]; p < cellStart[a + 1]; p++) {
    if (roles[p] !== CORE) {
      continue;
    }
    for (let q = cellStart[b]; q < cellStart[b + 1]; q++) {
      if (roles[q] === CORE && isWithin(grid, maxTerm, p, q)) {
        return true;
      }
    }
  }
  return false;
}

/** The root of p's set; halves the path on the way so later look-ups stay short. */
function find(parent: Uint32Array, p: number): number {
  let x = p;
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/**
 * Labels by input index. Growing clusters from core points in index order numbers them by their smallest core
 * index; a border point is claimed by the first cluster grown that has a core point within its reach.
 */
function labelPoints(grid: Grid, maxTerm: number, roles: Uint8Array, parent: Uint32Array): Int32Array {
  const { position } = grid;
  const n = position.length;
  const labels = new Int32Array(n).fill(NOISE);
  const labelOfRoot = new Int32Array(n).fill(NOISE);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const p = position[i];
    if (roles[p] === CORE) {
      const root = find(parent, p);
      if (labelOfRoot[root] === NOISE) {
        labelOfRoot[root] = next++;
      }
      labels[i] = labelOfRoot[root];
    }
  }
  for (let i = 0; i < n; i++) {
    const p = position[i];
    if (roles[p] === BORDER_CANDIDATE) {
      labels[i] = firstClusterInReach(grid, maxTerm, roles, parent, labelOfRoot, p);
    }
  }
  return labels;
}

function firstClusterInReach(grid: Grid, maxTerm: number, roles: Uint8Array, parent: Uint32Array, labelOfRoot: Int32Array, p: number): number {
  const { cellStart, rowsInReach, nearFirst, nearEnd } = grid;
  const c = cellOfPosition(cellStart, p);
  let first = NOISE;
  for (let k = c * rowsInReach; k < (c + 1) * rowsInReach; k++) {
    const end = cellStart[nearEnd[k]];
    for (let q = cellStart[nearFirst[k]]; q < end; q++) {
      if (roles[q] === CORE && isWithin(grid, maxTerm, p, q)) {
        const label = labelOfRoot[find(parent, q)];
        first = first === NOISE ? label : min(first, label);
      }
    }
  }
  return first;
}

/** Binary search over the cell starts: only border candidates, a sparse minority, need their cell this way. */
function cellOfPosition(cellStart: Uint32Array, p: number): number {
  let lo = 0;
  let hi = cellStart.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (cellStart[mid] <= p) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

function groupByLabel(labels: Int32Array): number[][] {
  const clusters: number[][] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === NOISE) {
      continue;
    }
    (clusters[label] ??= []).push(i);
  }
  // Indices were pushed in ascending order; only the clusters themselves need ordering.
  return clusters.sort((a, b) => a[0] - b[0]);
}

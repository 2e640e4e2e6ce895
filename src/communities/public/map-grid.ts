/**
 * The grid the map is counted in at low zoom: square cells in degrees, a quarter of a web-map tile
 * wide, kept for zoom levels 5 to 13. From zoom 14 on the map shows the markers themselves.
 */
export const CELL_ZOOMS = [5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
export const MARKER_MIN_ZOOM = 14;
export const MAX_ZOOM = 20;
const CELLS_PER_TILE = 4;

export type Marker = { public_lat: number; public_lon: number; registered: boolean };
export type CellKey = { zoom: number; x: number; y: number };
export type CellCount = CellKey & { markers: number; registered: number; sumLat: number; sumLon: number };

export function cellSizeDeg(zoom: number): number {
  return 360 / 2 ** zoom / CELLS_PER_TILE;
}

const columnOf = (lon: number, size: number): number => Math.floor((lon + 180) / size);
const rowOf = (lat: number, size: number): number => Math.floor((lat + 90) / size);

export function cellOf(lat: number, lon: number, zoom: number): CellKey {
  const size = cellSizeDeg(zoom);
  return { zoom, x: columnOf(lon, size), y: rowOf(lat, size) };
}

/** The grid level a viewport at this zoom is counted at. */
export function cellZoomFor(zoom: number): number {
  return Math.min(Math.max(zoom, CELL_ZOOMS[0]), CELL_ZOOMS[CELL_ZOOMS.length - 1]);
}

/** What one marker adds to (sign 1) or takes from (sign -1) the cell counts of every grid level. */
export function cellDeltas(marker: Marker, sign: 1 | -1): CellCount[] {
  return CELL_ZOOMS.map((zoom) => ({
    ...cellOf(marker.public_lat, marker.public_lon, zoom),
    markers: sign,
    registered: marker.registered ? sign : 0,
    sumLat: sign * marker.public_lat,
    sumLon: sign * marker.public_lon,
  }));
}

/** One count per cell, the deltas of the same cell summed (a statement may not update the same row twice). */
export function summedPerCell(deltas: Iterable<CellCount>): CellCount[] {
  const cells = new Map<string, CellCount>();
  for (const delta of deltas) {
    const key = `${delta.zoom}:${delta.x}:${delta.y}`;
    const cell = cells.get(key);
    if (!cell) {
      cells.set(key, { ...delta });
      continue;
    }
    cell.markers += delta.markers;
    cell.registered += delta.registered;
    cell.sumLat += delta.sumLat;
    cell.sumLon += delta.sumLon;
  }
  return [...cells.values()];
}

/** Room for every column of the finest grid level in a cell's numeric key (x · CELL_KEY_SPAN + y). */
const CELL_KEY_SPAN = 2 ** 20;

/**
 * The cell counts of a whole set of markers (a full pass rebuilds them): summed in place, one map
 * per grid level with numeric keys, since a country's markers times nine levels would otherwise
 * stand as millions of short-lived deltas and key strings.
 */
export function cellCounts(markers: Iterable<Marker>): CellCount[] {
  const levels = CELL_ZOOMS.map((zoom) => ({ zoom, size: cellSizeDeg(zoom), cells: new Map<number, CellCount>() }));
  for (const { public_lat: lat, public_lon: lon, registered } of markers) {
    for (const { zoom, size, cells } of levels) {
      const x = columnOf(lon, size);
      const y = rowOf(lat, size);
      const key = x * CELL_KEY_SPAN + y;
      let cell = cells.get(key);
      if (!cell) {
        cell = { zoom, x, y, markers: 0, registered: 0, sumLat: 0, sumLon: 0 };
        cells.set(key, cell);
      }
      cell.markers++;
      if (registered) cell.registered++;
      cell.sumLat += lat;
      cell.sumLon += lon;
    }
  }
  return levels.flatMap(({ cells }) => [...cells.values()]);
}

export type Viewport = { minLon: number; minLat: number; maxLon: number; maxLat: number; zoom: number };

const NUMBER = /^-?\d+(\.\d+)?$/;

/** `minLon,minLat,maxLon,maxLat` and a zoom level, checked; a message naming the problem otherwise. */
export function parseViewport(bbox: string, zoom: number): Viewport | string {
  const parts = bbox.split(',').map((part) => part.trim());
  if (parts.length !== 4 || !parts.every((part) => NUMBER.test(part))) return 'bbox must be minLon,minLat,maxLon,maxLat in degrees';
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number);
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) return 'bbox must lie within -180..180 longitude and -90..90 latitude';
  if (minLon >= maxLon || minLat >= maxLat) return 'bbox must have minLon < maxLon and minLat < maxLat';
  if (!Number.isInteger(zoom) || zoom < 0 || zoom > MAX_ZOOM) return `zoom must be an integer between 0 and ${MAX_ZOOM}`;
  return { minLon, minLat, maxLon, maxLat, zoom };
}

import { cellCounts, cellDeltas, cellOf, cellSizeDeg, cellZoomFor, CELL_ZOOMS, Marker, parseViewport, summedPerCell } from './map-grid';

const BADEN: Marker = { public_lat: 47.4731, public_lon: 8.3066, registered: true };

describe('map grid', () => {
  it('should put a position into the cell whose square contains it, at every grid level', () => {
    for (const zoom of CELL_ZOOMS) {
      const size = cellSizeDeg(zoom);
      const { x, y } = cellOf(BADEN.public_lat, BADEN.public_lon, zoom);

      expect(x * size - 180).toBeLessThanOrEqual(BADEN.public_lon);
      expect((x + 1) * size - 180).toBeGreaterThan(BADEN.public_lon);
      expect(y * size - 90).toBeLessThanOrEqual(BADEN.public_lat);
      expect((y + 1) * size - 90).toBeGreaterThan(BADEN.public_lat);
    }
  });

  it('should count a viewport at the nearest kept grid level', () => {
    expect([0, 5, 9, 13, 14, 20].map(cellZoomFor)).toEqual([5, 5, 9, 13, 13, 13]);
  });

  it('should take away exactly what a marker added', () => {
    const added = cellDeltas(BADEN, 1);
    const removed = cellDeltas(BADEN, -1);

    expect(summedPerCell([...added, ...removed]).every((cell) => cell.markers === 0 && cell.registered === 0 && cell.sumLat === 0 && cell.sumLon === 0)).toBe(true);
  });

  it('should count the markers of a set per cell, registered ones apart, with the sums for the centre', () => {
    const pool: Marker = { public_lat: 47.4735, public_lon: 8.3061, registered: false };
    const far: Marker = { public_lat: 46.95, public_lon: 7.44, registered: true };

    const cells = cellCounts([BADEN, pool, far]).filter((cell) => cell.zoom === 13);

    expect(cells).toHaveLength(2);
    const baden = cells.find((cell) => cell.markers === 2)!;
    expect(baden).toMatchObject({ registered: 1 });
    expect(baden.sumLat / baden.markers).toBeCloseTo((BADEN.public_lat + pool.public_lat) / 2, 10);
    expect(cells.find((cell) => cell.markers === 1)).toMatchObject({ registered: 1, sumLat: far.public_lat, sumLon: far.public_lon });
  });

  it('should give the same counts whether built at once or summed from deltas one marker at a time', () => {
    const markers = Array.from({ length: 200 }, (_, i): Marker => ({ public_lat: 46 + (i * 0.013) % 1.5, public_lon: 6.5 + (i * 0.029) % 3, registered: i % 3 !== 0 }));
    const key = (cells: ReturnType<typeof cellCounts>) => cells.map((c) => `${c.zoom}:${c.x}:${c.y}:${c.markers}:${c.registered}:${c.sumLat}:${c.sumLon}`).sort();

    expect(key(summedPerCell(markers.flatMap((marker) => cellDeltas(marker, 1))))).toEqual(key(cellCounts(markers)));
  });

  it('should accept a viewport and name the problem of a bad one', () => {
    expect(parseViewport('8.2,47.4,8.4,47.5', 14)).toEqual({ minLon: 8.2, minLat: 47.4, maxLon: 8.4, maxLat: 47.5, zoom: 14 });
    expect(parseViewport('8.2,47.4,8.4', 14)).toBe('bbox must be minLon,minLat,maxLon,maxLat in degrees');
    expect(parseViewport('8.2,47.4,8.4,abc', 14)).toBe('bbox must be minLon,minLat,maxLon,maxLat in degrees');
    expect(parseViewport('8.2,47.4,181,47.5', 14)).toBe('bbox must lie within -180..180 longitude and -90..90 latitude');
    expect(parseViewport('8.4,47.4,8.2,47.5', 14)).toBe('bbox must have minLon < maxLon and minLat < maxLat');
    expect(parseViewport('8.2,47.4,8.4,47.5', 21)).toBe('zoom must be an integer between 0 and 20');
    expect(parseViewport('8.2,47.4,8.4,47.5', 1.5)).toBe('zoom must be an integer between 0 and 20');
  });
});

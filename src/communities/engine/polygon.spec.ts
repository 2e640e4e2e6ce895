import { communityPolygon, Ring } from './polygon';

/** Degrees are compared to 1e-12, well below rounding noise of sums like 47.47 + 0.0003 and far below a mm. */
function expectRing(actual: Ring, expected: Ring): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach(([lat, lon], i) => {
    expect(lat).toBeCloseTo(expected[i][0], 12);
    expect(lon).toBeCloseTo(expected[i][1], 12);
  });
  expect(actual[actual.length - 1]).toEqual(actual[0]);
}

describe(communityPolygon.name, () => {
  it('should draw a ±0.0005° square around a single building', () => {
    expectRing(communityPolygon([{ lat: 47.47, lon: 8.3 }]), [
      [47.4695, 8.2995],
      [47.4695, 8.3005],
      [47.4705, 8.3005],
      [47.4705, 8.2995],
      [47.4695, 8.2995],
    ]);
  });

  it('should treat several buildings at one position like a single building', () => {
    const p = { lat: 47.47, lon: 8.3 };
    expect(communityPolygon([p, { ...p }, { ...p }])).toEqual(communityPolygon([p]));
  });

  it('should draw the rectangle spanned by two buildings, widened by 0.0003° on every side', () => {
    expectRing(communityPolygon([{ lat: 47.471, lon: 8.302 }, { lat: 47.47, lon: 8.3 }]), [
      [47.4697, 8.2997],
      [47.4697, 8.3023],
      [47.4713, 8.3023],
      [47.4713, 8.2997],
      [47.4697, 8.2997],
    ]);
  });

  it('should fall back to the two extreme points when all buildings lie on one line', () => {
    const line = [
      { lat: 47.4705, lon: 8.301 },
      { lat: 47.47, lon: 8.3 },
      { lat: 47.471, lon: 8.302 },
    ];
    expect(communityPolygon(line)).toEqual(communityPolygon([line[1], line[2]]));
  });

  it('should fall back to the two-point rule for duplicates of two positions', () => {
    const a = { lat: 47.47, lon: 8.3 };
    const b = { lat: 47.471, lon: 8.302 };
    expect(communityPolygon([a, b, { ...a }, { ...b }])).toEqual(communityPolygon([a, b]));
  });

  it('should return the closed convex hull, leaving inner points out', () => {
    const corners = [
      { lat: 47.47, lon: 8.3 },
      { lat: 47.47, lon: 8.302 },
      { lat: 47.472, lon: 8.302 },
      { lat: 47.472, lon: 8.3 },
    ];
    const inside = { lat: 47.471, lon: 8.301 };
    const onEdge = { lat: 47.47, lon: 8.301 };
    const ring = communityPolygon([inside, corners[2], onEdge, corners[0], corners[3], corners[1]]);
    // Counter-clockwise with longitude as x, starting from the westmost-southmost point, first point repeated.
    expectRing(ring, [
      [47.47, 8.3],
      [47.47, 8.302],
      [47.472, 8.302],
      [47.472, 8.3],
      [47.47, 8.3],
    ]);
  });

  it('should return a triangle for three buildings not on one line', () => {
    const ring = communityPolygon([
      { lat: 47.47, lon: 8.3 },
      { lat: 47.471, lon: 8.3 },
      { lat: 47.47, lon: 8.301 },
    ]);
    expectRing(ring, [
      [47.47, 8.3],
      [47.47, 8.301],
      [47.471, 8.3],
      [47.47, 8.3],
    ]);
  });

  it('should refuse an empty community', () => {
    expect(() => communityPolygon([])).toThrow(RangeError);
  });
});

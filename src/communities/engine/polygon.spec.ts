import { communityPolygon, hullVertices, Ring } from './polygon';

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

describe(hullVertices.name, () => {
  const random = (() => {
    let state = 42;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  })();
  const cloud = (count: number, spread: number) => Array.from({ length: count }, () => ({ lat: 47.47 + (random() - 0.5) * spread, lon: 8.3 + (random() - 0.5) * spread }));

  it('should give the same outline as all the points, so that a community can keep only its hull', () => {
    for (let round = 0; round < 50; round++) {
      const points = cloud(1 + Math.floor(random() * 40), random() < 0.2 ? 1e-9 : 0.01);
      expect(communityPolygon(hullVertices(points))).toEqual(communityPolygon(points));
    }
  });

  it('should grow like the hull of the union: hull(hull(A) ∪ B) outlines A ∪ B', () => {
    for (let round = 0; round < 50; round++) {
      const a = cloud(1 + Math.floor(random() * 30), 0.01);
      const b = cloud(1 + Math.floor(random() * 5), 0.02);
      expect(communityPolygon([...hullVertices(a), ...b])).toEqual(communityPolygon([...a, ...b]));
    }
  });

  it('should keep collinear and repeated points to their extremes', () => {
    const line = [0, 1, 2, 3].map((i) => ({ lat: 47 + i * 0.001, lon: 8 + i * 0.001 }));
    expect(communityPolygon(hullVertices([...line, ...line]))).toEqual(communityPolygon(line));
  });
});

import { areNeighbours, clusterLabels, clusterPoints, NOISE } from './dbscan';
import { EARTH_RADIUS_M, haversineMeters, LatLon, offsetMeters } from '../../geo/geo';

const BADEN: LatLon = { lat: 47.4734, lon: 8.3064 };

/** Along a meridian the great-circle distance is exactly R·Δφ. */
function northOf(origin: LatLon, meters: number): LatLon {
  return { lat: origin.lat + ((meters / EARTH_RADIUS_M) * 180) / Math.PI, lon: origin.lon };
}

/** Deterministic pseudo-random numbers in [0, 1) so a failing property test can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Textbook O(n²) DBSCAN, the reference the grid version must agree with. */
function bruteForceDbscan(points: LatLon[], radiusM: number, minSamples: number): number[][] {
  const n = points.length;
  const neighbours: number[][] = points.map((_, i) => [i]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (haversineMeters(points[i], points[j]) <= radiusM) {
        neighbours[i].push(j);
        neighbours[j].push(i);
      }
    }
  }
  const isCore = neighbours.map((list) => list.length >= minSamples);
  const labels = new Array<number>(n).fill(-1);
  let label = 0;
  for (let seed = 0; seed < n; seed++) {
    if (!isCore[seed] || labels[seed] !== -1) {
      continue;
    }
    labels[seed] = label;
    const queue = [seed];
    while (queue.length > 0) {
      const i = queue.shift()!;
      for (const j of neighbours[i]) {
        if (labels[j] === -1) {
          labels[j] = label;
          if (isCore[j]) {
            queue.push(j);
          }
        }
      }
    }
    label++;
  }
  const clusters: number[][] = [];
  labels.forEach((l, i) => l >= 0 && (clusters[l] ??= []).push(i));
  return clusters.sort((a, b) => a[0] - b[0]);
}

/**
 * Points around a few centres with very different spreads (from a core denser than one point per cell to scattered
 * outskirts), plus exact duplicates: cells full enough to be all core, chains between them, border points, noise.
 */
function towns(random: () => number, count: number, radiusM: number): LatLon[] {
  const spreads = [1.5, 4, 12, 40].map((radii) => radii * radiusM);
  const points = Array.from({ length: count }, (_, i) => {
    const spread = spreads[i % spreads.length];
    return offsetMeters(BADEN, (random() - 0.5) * spread * (1 + (i % 3)), (random() - 0.5) * spread);
  });
  points.push(...points.slice(0, count / 50).map((p) => ({ ...p })));
  return points;
}

describe(clusterPoints.name, () => {
  const opts = { radiusM: 150, minSamples: 2 };

  it('should treat 149.9 m as neighbours', () => {
    expect(clusterPoints([BADEN, northOf(BADEN, 149.9)], opts)).toEqual([[0, 1]]);
  });

  it('should treat exactly 150 m as neighbours (≤, not <)', () => {
    const other = northOf(BADEN, 150);
    expect(haversineMeters(BADEN, other)).toBeCloseTo(150, 9);
    expect(clusterPoints([BADEN, other], opts)).toEqual([[0, 1]]);
  });

  it('should not treat 150.1 m as neighbours', () => {
    expect(clusterPoints([BADEN, northOf(BADEN, 150.1)], opts)).toEqual([]);
  });

  it('should apply the boundary east-west as well as north-south', () => {
    const east = offsetMeters(BADEN, 0, 149.9);
    const farEast = offsetMeters(BADEN, 0, 150.1);
    expect(clusterPoints([BADEN, east], opts)).toEqual([[0, 1]]);
    expect(clusterPoints([BADEN, farEast], opts)).toEqual([]);
  });

  it('should join a chain A–B–C into one community although A–C is beyond the radius', () => {
    const a = BADEN;
    const b = northOf(a, 140);
    const c = northOf(a, 280);
    expect(haversineMeters(a, c)).toBeGreaterThan(150);
    expect(clusterPoints([c, a, b], opts)).toEqual([[0, 1, 2]]);
  });

  it('should make buildings with identical coordinates neighbours', () => {
    expect(clusterPoints([BADEN, { ...BADEN }, northOf(BADEN, 1000)], opts)).toEqual([[0, 1]]);
  });

  it('should leave isolated points out as noise and order communities by their smallest index', () => {
    const far = northOf(BADEN, 2000);
    const points = [far, BADEN, northOf(BADEN, 5000), northOf(far, 100), northOf(BADEN, 50)];
    expect(clusterPoints(points, opts)).toEqual([
      [0, 3],
      [1, 4],
    ]);
  });

  it('should return nothing for no points', () => {
    expect(clusterPoints([], opts)).toEqual([]);
  });

  describe('with minSamples above 2', () => {
    const opts3 = { radiusM: 150, minSamples: 3 };

    it('should drop a pair, since neither point is core', () => {
      expect(clusterPoints([BADEN, northOf(BADEN, 100)], opts3)).toEqual([]);
    });

    it('should attach border points that are reached from a core point', () => {
      // 0 has 1 (100 m) and 2 (140 m) in reach: core. 1 and 2 are 240 m apart, each sees only itself and 0.
      const points = [northOf(BADEN, -100), BADEN, northOf(BADEN, 140)];
      expect(clusterPoints(points, opts3)).toEqual([[0, 1, 2]]);
    });

    it('should not let a border point spread the cluster to its own neighbours', () => {
      // minSamples 4: a0 is core (a0, a1, a2, b). b, 140 m north, sees a0 and x only: a border point.
      // x, 140 m beyond b, sees only b: noise, although it is b's neighbour.
      const a0 = BADEN;
      const points = [a0, offsetMeters(a0, -20, -10), offsetMeters(a0, -20, 10), northOf(a0, 140), northOf(a0, 280)];
      expect(clusterPoints(points, { radiusM: 150, minSamples: 4 })).toEqual([[0, 1, 2, 3]]);
    });

    it('should give a border point between two clusters to the cluster grown first', () => {
      // With minSamples 4, a0 and c0 are core (3 close points + the border point b); b, 140 m from each of them
      // and 160 m from the others, has only 3 points in its neighbourhood: a border point of both clusters.
      const a0 = BADEN;
      const a = [a0, offsetMeters(a0, -20, -10), offsetMeters(a0, -20, 10)];
      const b = northOf(a0, 140);
      const c0 = northOf(a0, 280);
      const c = [c0, offsetMeters(c0, 20, -10), offsetMeters(c0, 20, 10)];
      const opts4 = { radiusM: 150, minSamples: 4 };

      expect(clusterPoints([...a, b, ...c], opts4)).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6],
      ]);
      expect(clusterPoints([...c, b, ...a], opts4)).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6],
      ]);
    });
  });

  it('should make every point a community of its own with minSamples 1', () => {
    expect(clusterPoints([BADEN, northOf(BADEN, 1000)], { radiusM: 150, minSamples: 1 })).toEqual([[0], [1]]);
  });

  it('should reject a negative radius and a minSamples below 1', () => {
    expect(() => clusterPoints([BADEN], { radiusM: -1, minSamples: 2 })).toThrow(RangeError);
    expect(() => clusterPoints([BADEN], { radiusM: 150, minSamples: 0 })).toThrow(RangeError);
    expect(() => clusterPoints([{ lat: NaN, lon: 8 }], opts)).toThrow(RangeError);
  });

  it.each([
    [2, 150],
    [3, 150],
    [2, 400],
    [4, 60],
  ])('should agree with a brute-force reference on 2 000 random points (minSamples %i, radius %i m)', (minSamples, radiusM) => {
    const random = seededRandom(minSamples * 1000 + radiusM);
    // A square of side 50 radii holds on average π·2000/2500 ≈ 2.5 other points per neighbourhood:
    // chains, border points and noise all occur.
    const side = 50 * radiusM;
    const points = Array.from({ length: 2000 }, () => offsetMeters(BADEN, random() * side, random() * side));
    // A few exact duplicates exercise the zero-distance case.
    points.push(...points.slice(0, 20).map((p) => ({ ...p })));

    const expected = bruteForceDbscan(points, radiusM, minSamples);
    expect(expected.length).toBeGreaterThan(100);
    expect(clusterPoints(points, { radiusM, minSamples })).toEqual(expected);
  });

  it.each([
    [2, 150],
    [3, 150],
    [2, 50],
    [3, 50],
    [6, 50],
  ])('should agree with a brute-force reference on dense cores, outskirts and duplicates (minSamples %i, radius %i m)', (minSamples, radiusM) => {
    const points = towns(seededRandom(minSamples * 7 + radiusM), 2500, radiusM);
    const expected = bruteForceDbscan(points, radiusM, minSamples);
    expect(expected.some((cluster) => cluster.length > 200)).toBe(true);
    expect(clusterPoints(points, { radiusM, minSamples })).toEqual(expected);
  });

  it('should agree with the reference when the grid has tens of thousands of rows and columns', () => {
    // 1 m over 25 km: cell indices need more than one digit of the radix sort on each axis.
    const random = seededRandom(11);
    const points: LatLon[] = [];
    for (let i = 0; i < 1000; i++) {
      const centre = offsetMeters(BADEN, random() * 25_000, random() * 25_000);
      points.push(centre, offsetMeters(centre, random() * 1.2, random() * 1.2), offsetMeters(centre, -random() * 1.2, 0));
    }
    expect(clusterPoints(points, { radiusM: 1, minSamples: 2 })).toEqual(bruteForceDbscan(points, 1, 2));
  });

  it('should agree with the reference over a wide band of latitudes, where neighbours lie several columns apart', () => {
    const random = seededRandom(3);
    const points: LatLon[] = [];
    for (let lat = 40; lat <= 72; lat += 4) {
      const centre = { lat, lon: 8.3 };
      for (let i = 0; i < 150; i++) {
        points.push(offsetMeters(centre, random() * 800, random() * 800));
      }
    }
    expect(clusterPoints(points, opts)).toEqual(bruteForceDbscan(points, 150, 2));
  });

  it('should join only identical positions with a radius of 0', () => {
    expect(clusterPoints([BADEN, northOf(BADEN, 0.01), { ...BADEN }], { radiusM: 0, minSamples: 2 })).toEqual([[0, 2]]);
  });

  it('should agree with the reference far from the equator, where a degree of longitude is short', () => {
    const random = seededRandom(7);
    const north = { lat: 69.65, lon: 18.95 };
    const points = Array.from({ length: 1500 }, () => offsetMeters(north, random() * 6500, random() * 6500));
    expect(clusterPoints(points, opts)).toEqual(bruteForceDbscan(points, 150, 2));
  });
});

describe(clusterLabels.name, () => {
  it('should number clusters by their smallest core point and mark noise, as clusterPoints groups them', () => {
    // minSamples 3: 0 and 4 are border points; 2 and 3 are far from everything.
    const a = northOf(BADEN, 5000);
    const points = [northOf(BADEN, -100), northOf(a, 100), northOf(BADEN, 3000), northOf(BADEN, 9000), northOf(BADEN, 140), BADEN, northOf(a, 60), a];
    const opts = { radiusM: 150, minSamples: 3 };
    const labels = clusterLabels(points, opts);
    expect(Array.from(labels)).toEqual([1, 0, NOISE, NOISE, 1, 1, 0, 0]);
    expect(clusterPoints(points, opts)).toEqual([
      [0, 4, 5],
      [1, 6, 7],
    ]);
  });

  it('should decide a single pair exactly as the clustering does, on the radius too', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const a = { lat: 45.8 + random() * 2, lon: 6 + random() * 4 };
      const distance = 150 + (random() - 0.5) * 1e-5 * (i % 2 === 0 ? 1 : 1e6);
      const b = i % 3 === 0 ? northOf(a, distance) : offsetMeters(a, distance * Math.cos(i), distance * Math.sin(i));

      expect([i, areNeighbours(a, b, 150)]).toEqual([i, clusterPoints([a, b], { radiusM: 150, minSamples: 2 }).length === 1]);
      expect(areNeighbours(b, a, 150)).toBe(areNeighbours(a, b, 150));
    }
  });
});

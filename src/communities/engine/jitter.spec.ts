import { haversineMeters } from '../../geo/geo';
import { jitterPosition, MIN_JITTER_RADIUS_M } from './jitter';

const SECRET = 'test-secret-0123456789abcdef';
const LAT = 47.473412;
const LON = 8.306417;
const RADIUS_M = 100;
const SAMPLES = 10_000;

function jitterMany(secret: string | Buffer = SECRET) {
  return Array.from({ length: SAMPLES }, (_, i) => {
    const position = jitterPosition(`building-${i}`, LAT, LON, secret, RADIUS_M);
    return { ...position, distance: haversineMeters({ lat: LAT, lon: LON }, position) };
  });
}

describe(jitterPosition.name, () => {
  const positions = jitterMany();

  it('should give the same position for the same building and secret', () => {
    expect(jitterPosition('b08f389fab', LAT, LON, SECRET, RADIUS_M)).toEqual(jitterPosition('b08f389fab', LAT, LON, SECRET, RADIUS_M));
  });

  it('should treat a string secret and its UTF-8 bytes alike', () => {
    expect(jitterPosition('b08f389fab', LAT, LON, Buffer.from(SECRET), RADIUS_M)).toEqual(jitterPosition('b08f389fab', LAT, LON, SECRET, RADIUS_M));
  });

  it('should move the building somewhere else under a different secret', () => {
    const a = jitterPosition('b08f389fab', LAT, LON, SECRET, RADIUS_M);
    const b = jitterPosition('b08f389fab', LAT, LON, 'another-secret', RADIUS_M);
    expect(haversineMeters(a, b)).toBeGreaterThan(0);
  });

  it('should give different buildings at the same spot different offsets', () => {
    const a = jitterPosition('a', LAT, LON, SECRET, RADIUS_M);
    const b = jitterPosition('b', LAT, LON, SECRET, RADIUS_M);
    expect(a).not.toEqual(b);
  });

  it('should keep every position within the radius and never on the true position', () => {
    for (const p of positions) {
      expect(p.distance).toBeLessThanOrEqual(RADIUS_M);
      // At least the 1 m minimum offset less the 0.1 m rounding allowance.
      expect(p.distance).toBeGreaterThan(0.9);
    }
  });

  it('should hold the guarantees for the smallest radius allowed', () => {
    for (let i = 0; i < 1000; i++) {
      const p = jitterPosition(`b${i}`, LAT, LON, SECRET, MIN_JITTER_RADIUS_M);
      const d = haversineMeters({ lat: LAT, lon: LON }, p);
      expect(d).toBeLessThanOrEqual(MIN_JITTER_RADIUS_M);
      expect(d).toBeGreaterThan(0.9);
    }
  });

  it('should round to 6 decimals', () => {
    const p = positions[0];
    expect(Math.round(p.lat * 1e6) / 1e6).toBe(p.lat);
    expect(Math.round(p.lon * 1e6) / 1e6).toBe(p.lon);
  });

  it('should spread positions uniformly over the disc: half of them within r/√2', () => {
    // Uniform over the area: P(d ≤ r/√2) = (r/√2)² / r² = 1/2. Binomial std = √(n·p·(1−p)) = 50 of 10 000;
    // 4 std (200, i.e. ±2 %) makes a false alarm a 1-in-15 000 event, and the inputs are fixed anyway.
    const inner = positions.filter((p) => p.distance <= RADIUS_M / Math.SQRT2).length;
    expect(Math.abs(inner - SAMPLES / 2)).toBeLessThanOrEqual(200);
  });

  it('should spread positions evenly over the four quadrants', () => {
    // p = 1/4: std = √(10 000 · 0.25 · 0.75) ≈ 43.3; 4 std ≈ 173.
    const quadrants = [0, 0, 0, 0];
    for (const p of positions) {
      quadrants[(p.lat >= LAT ? 0 : 2) + (p.lon >= LON ? 0 : 1)]++;
    }
    for (const count of quadrants) {
      expect(Math.abs(count - SAMPLES / 4)).toBeLessThanOrEqual(173);
    }
  });

  it('should reject a radius too small to honour the guarantees and an invalid position', () => {
    expect(() => jitterPosition('a', LAT, LON, SECRET, 1)).toThrow(RangeError);
    expect(() => jitterPosition('a', Number.NaN, LON, SECRET, RADIUS_M)).toThrow(RangeError);
  });
});

import { EARTH_RADIUS_M, haversineMeters, offsetMeters } from './geo';

describe(haversineMeters.name, () => {
  it('should be zero for identical points', () => {
    expect(haversineMeters({ lat: 47.47, lon: 8.3 }, { lat: 47.47, lon: 8.3 })).toBe(0);
  });

  it('should equal R·Δφ along a meridian', () => {
    // 0.001° of latitude = 6 371 000 · 0.001 · π / 180 = 111.19492664455873 m
    expect(haversineMeters({ lat: 47, lon: 8 }, { lat: 47.001, lon: 8 })).toBeCloseTo(111.19492664455873, 6);
  });

  it('should equal R·cos(φ)·Δλ on the equator and a quarter circumference from pole to equator', () => {
    expect(haversineMeters({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 180, 6);
    expect(haversineMeters({ lat: 90, lon: 0 }, { lat: 0, lon: 0 })).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 2, 3);
  });

  it('should be symmetric', () => {
    const a = { lat: 47.4721, lon: 8.3061 };
    const b = { lat: 47.4802, lon: 8.2954 };
    expect(haversineMeters(a, b)).toBe(haversineMeters(b, a));
  });
});

describe(offsetMeters.name, () => {
  it('should move exactly the requested distance north', () => {
    const origin = { lat: 47.47, lon: 8.3 };
    expect(haversineMeters(origin, offsetMeters(origin, 150, 0))).toBeCloseTo(150, 9);
  });

  it('should move the requested distance east and diagonally to below a millimetre', () => {
    const origin = { lat: 47.47, lon: 8.3 };
    expect(haversineMeters(origin, offsetMeters(origin, 0, 150))).toBeCloseTo(150, 3);
    expect(haversineMeters(origin, offsetMeters(origin, 90, 120))).toBeCloseTo(150, 3);
  });
});

import { isSuitable, potentialPvKwp, RoofFace, summariseRoof } from './solar-potential';

const face = (overrides: Partial<RoofFace>): RoofFace => ({
  id: 'f1',
  areaM2: 50,
  yieldKwh: 8000,
  suitabilityClass: 4,
  irradiationKwhPerM2: 1250,
  ...overrides,
});

describe(potentialPvKwp.name, () => {
  it('should count 0.17 kWp per m² on 70 % of the roof', () => {
    expect(potentialPvKwp(100)).toBe(11.9);
    expect(potentialPvKwp(58.3)).toBe(6.9);
    expect(potentialPvKwp(0)).toBe(0);
  });
});

describe(isSuitable.name, () => {
  it('should decide by the irradiation when the layer gives it', () => {
    expect(isSuitable(face({ irradiationKwhPerM2: 1000, suitabilityClass: 1 }))).toBe(true);
    expect(isSuitable(face({ irradiationKwhPerM2: 999, suitabilityClass: 5 }))).toBe(false);
  });

  it('should fall back to the class: good (3) or better', () => {
    expect(isSuitable(face({ irradiationKwhPerM2: null, suitabilityClass: 3 }))).toBe(true);
    expect(isSuitable(face({ irradiationKwhPerM2: null, suitabilityClass: 2 }))).toBe(false);
    expect(isSuitable(face({ irradiationKwhPerM2: null, suitabilityClass: null }))).toBe(false);
  });
});

describe(summariseRoof.name, () => {
  it('should sum the suitable faces only, each face once', () => {
    const faces = [
      face({ id: 'south', areaM2: 60.25, yieldKwh: 10_100 }),
      face({ id: 'south', areaM2: 60.25, yieldKwh: 10_100 }),
      face({ id: 'west', areaM2: 40, yieldKwh: 5_600.4, irradiationKwhPerM2: 1050 }),
      face({ id: 'north', areaM2: 60, yieldKwh: 4_000, irradiationKwhPerM2: 700, suitabilityClass: 1 }),
    ];

    expect(summariseRoof(faces)).toEqual({ roofAreaM2: 100.3, solarYieldKwh: 15_700 });
  });

  it('should give zero for a building without suitable faces', () => {
    expect(summariseRoof([])).toEqual({ roofAreaM2: 0, solarYieldKwh: 0 });
  });
});

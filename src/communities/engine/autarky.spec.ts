import { communityEnergy, energyFromTotals, energyStepByStep } from './autarky';

/**
 * The previous version, written the straightforward way: a pandas-style date range over 2025 in 15-minute
 * steps, one array per building, summed, then the import integrated. Independent of the engine's shortcuts.
 */
function referenceModel(buildings: { kwh: number; kwp: number }[]) {
  const times: Date[] = [];
  for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 15 * 60 * 1000) {
    times.push(new Date(ms));
  }
  const hours = times.map((t) => t.getUTCHours() + t.getUTCMinutes() / 60);
  const dayOfYear = times.map((t) => (Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()) - Date.UTC(2025, 0, 1)) / 86_400_000 + 1);

  const rawDemand = hours.map((h) => {
    const c = Math.cos(((h - 13.5) * Math.PI) / 12) ** 2;
    return h < 6 || h > 22 ? c * 0.5 : c;
  });
  const demandTotal = rawDemand.reduce((a, b) => a + b, 0);
  const demandShape = rawDemand.map((c) => c / demandTotal);

  const rawSolar = hours.map(
    (h, i) => Math.max(0, Math.sin(Math.max(0, ((h - 6) * Math.PI) / 12))) ** 1.5 * (1 + 0.5 * Math.cos(((dayOfYear[i] - 172) * 2 * Math.PI) / 365)),
  );
  const solarMax = Math.max(...rawSolar);
  const solarShape = rawSolar.map((s) => s / solarMax);

  const consumption = new Array<number>(times.length).fill(0);
  const production = new Array<number>(times.length).fill(0);
  for (const b of buildings) {
    demandShape.forEach((c, t) => (consumption[t] += (c * b.kwh) / 0.25));
    solarShape.forEach((s, t) => (production[t] += s * b.kwp));
  }
  const gridImport = consumption.reduce((acc, c, t) => acc + Math.max(0, c - production[t]) * 0.25, 0);
  const demand = consumption.reduce((acc, c) => acc + c * 0.25, 0);
  return {
    intervals: times.length,
    autarky_percent: demand === 0 ? 0 : (100 * (demand - gridImport)) / demand,
    total_consumption_mwh: demand / 1000,
    total_production_mwh: production.reduce((acc, p) => acc + p * 0.25, 0) / 1000,
  };
}

function expectRelativelyClose(actual: number, expected: number, tolerance = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

/** Deterministic pseudo-random numbers in [0, 1) so a failing case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 10^x for x uniform in [fromExponent, toExponent): every order of magnitude equally often. */
function logUniform(random: () => number, fromExponent: number, toExponent: number): number {
  return 10 ** (fromExponent + random() * (toExponent - fromExponent));
}

describe(energyFromTotals.name, () => {
  it('should report zero autarky and zero figures for a community without demand or PV', () => {
    expect(energyFromTotals(0, 0)).toEqual({ autarky_percent: 0, total_consumption_mwh: 0, total_production_mwh: 0 });
  });

  it('should report zero autarky when there is no demand, whatever the PV', () => {
    expect(energyFromTotals(0, 10).autarky_percent).toBe(0);
  });

  it('should report zero autarky and zero production without PV', () => {
    const figures = energyFromTotals(12_000, 0);
    expect(figures.autarky_percent).toBe(0);
    expect(figures.total_production_mwh).toBe(0);
  });

  it('should report the annual consumption as total consumption, exactly', () => {
    expect(energyFromTotals(12_345, 7).total_consumption_mwh).toBe(12.345);
    expect(energyFromTotals(4_500, 0).total_consumption_mwh).toBe(4.5);
  });

  it('should give 1 kWp a production equal to the year of the normalised solar shape', () => {
    // Production scales linearly with kWp.
    const one = energyFromTotals(0, 1).total_production_mwh;
    expectRelativelyClose(energyFromTotals(0, 8.5).total_production_mwh, 8.5 * one, 1e-12);
    // The normalised shape peaks at 1 kW per kWp around noon in June and is zero at night, so a year of it
    // yields well under 8 760 h · 0.5 but more than a winter-only year would.
    expect(one).toBeGreaterThan(1);
    expect(one).toBeLessThan(8.76 / 2);
  });

  it.each([
    [4_500, 0],
    [4_500, 5],
    [12_000, 8.35],
    [25_000, 40],
    [1_000, 200],
  ])('should match a straightforward re-implementation to 1e-9 (%d kWh, %d kWp)', (kwh, kwp) => {
    const expected = referenceModel([{ kwh, kwp }]);
    const actual = energyFromTotals(kwh, kwp);
    expect(expected.intervals).toBe(35_040);
    expect(Math.abs(actual.autarky_percent - expected.autarky_percent)).toBeLessThanOrEqual(1e-9 * Math.max(1e-9, expected.autarky_percent));
    expectRelativelyClose(actual.total_consumption_mwh, expected.total_consumption_mwh);
    expectRelativelyClose(actual.total_production_mwh, expected.total_production_mwh);
  });

  it('should grow with the PV power and never exceed 100 %', () => {
    let previous = -1;
    for (const kwp of [0, 1, 2, 5, 10, 20, 50, 100, 1_000, 100_000]) {
      const { autarky_percent } = energyFromTotals(10_000, kwp);
      expect(autarky_percent).toBeGreaterThanOrEqual(previous);
      expect(autarky_percent).toBeLessThanOrEqual(100);
      previous = autarky_percent;
    }
    // Night demand is never covered by solar, so even huge PV stays clearly below 100 %.
    expect(previous).toBeLessThan(90);
  });

  it('should reject negative or non-finite totals', () => {
    expect(() => energyFromTotals(-1, 0)).toThrow(RangeError);
    expect(() => energyFromTotals(1, Number.NaN)).toThrow(RangeError);
  });

  it('should keep a tiny autarky precise: proportional to the PV while every sunny interval runs short', () => {
    const small = energyFromTotals(10_000, 1e-9).autarky_percent;
    const larger = energyFromTotals(10_000, 1e-6).autarky_percent;
    expect(small).toBeGreaterThan(0);
    expect(Math.abs(larger - 1_000 * small)).toBeLessThanOrEqual(1e-12 * larger);
  });

  it('should give communities with proportional totals exactly the same autarky', () => {
    expect(energyFromTotals(30_000, 30).autarky_percent).toBe(energyFromTotals(10_000, 10).autarky_percent);
    expect(energyFromTotals(27_000, 13.5).autarky_percent).toBe(energyFromTotals(9_000, 4.5).autarky_percent);
  });

  describe(`against ${energyStepByStep.name}`, () => {
    it('should match the loop to 1e-9 relative for tiny, everyday and huge totals', () => {
      const random = seededRandom(2025);
      const pairs: [number, number][] = [
        [0, 0],
        [0, 7],
        [12_000, 0],
        [1e-9, 1e-12],
        [1e15, 1e12],
      ];
      for (let i = 0; i < 500; i++) {
        const kwh = logUniform(random, -9, 15);
        // From 1 W of PV per MWh (0.2 % autarky) to far more PV than a roof holds: real communities have
        // 1e-4 to 2e-2 kWp per kWh.
        pairs.push([kwh, kwh * logUniform(random, -6, 4)]);
      }
      for (const [kwh, kwp] of pairs) {
        const actual = energyFromTotals(kwh, kwp);
        const expected = energyStepByStep(kwh, kwp);
        expect(Math.abs(actual.autarky_percent - expected.autarky_percent)).toBeLessThanOrEqual(1e-9 * expected.autarky_percent);
        expect(actual.total_consumption_mwh).toBe(expected.total_consumption_mwh);
        expect(actual.total_production_mwh).toBe(expected.total_production_mwh);
      }
    });

    it('should stay within the loop\'s own rounding for any ratio of PV to consumption', () => {
      // The loop computes 1 - import / demand over 35 040 terms: its error is absolute, up to about
      // 35 040 · 2⁻⁵² · 100 ≈ 1e-9 percentage points, which is more than 1e-9 relative of a tiny autarky.
      const random = seededRandom(7);
      for (let i = 0; i < 500; i++) {
        const kwh = logUniform(random, -9, 15);
        const kwp = logUniform(random, -9, 15);
        const actual = energyFromTotals(kwh, kwp).autarky_percent;
        const expected = energyStepByStep(kwh, kwp).autarky_percent;
        expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
      }
    });
  });
});

describe(communityEnergy.name, () => {
  it('should equal the figures of the summed totals', () => {
    const members = [
      { annual_consumption_kwh: 4_000, potential_pv_kwp: 0 },
      { annual_consumption_kwh: 6_000, potential_pv_kwp: 12 },
    ];
    expect(communityEnergy(members)).toEqual(energyFromTotals(10_000, 12));
  });

  it('should match the building-by-building reference to 1e-9', () => {
    const buildings = [
      { kwh: 6_946.3, kwp: 8.35 },
      { kwh: 5_119.2, kwp: 6.65 },
      { kwh: 4_787.6, kwp: 0 },
    ];
    const expected = referenceModel(buildings);
    const actual = communityEnergy(buildings.map((b) => ({ annual_consumption_kwh: b.kwh, potential_pv_kwp: b.kwp })));
    expectRelativelyClose(actual.autarky_percent, expected.autarky_percent);
    expectRelativelyClose(actual.total_consumption_mwh, expected.total_consumption_mwh);
    expectRelativelyClose(actual.total_production_mwh, expected.total_production_mwh);
  });

  it('should give a consumer without PV autarky only once it shares a producer\'s surplus', () => {
    const producer = { annual_consumption_kwh: 3_000, potential_pv_kwp: 20 };
    const consumer = { annual_consumption_kwh: 8_000, potential_pv_kwp: 0 };
    expect(communityEnergy([consumer]).autarky_percent).toBe(0);
    // Sharing covers some of the consumer's daytime demand: the pair beats the consumer alone.
    expect(communityEnergy([producer, consumer]).autarky_percent).toBeGreaterThan(0);
  });

  it('should report zero for an empty community', () => {
    expect(communityEnergy([])).toEqual({ autarky_percent: 0, total_consumption_mwh: 0, total_production_mwh: 0 });
  });
});

/**
 * The previous version's energy model: a synthetic year of demand and solar production in 15-minute steps.
 * Results must match it to a relative 1e-9, so the shapes below follow its formulas literally.
 */

/** 2025 has 365 days of 96 quarter-hours; the series is naive local time (no DST shift). */
export const INTERVALS_PER_DAY = 96;
export const DAYS_IN_YEAR = 365;
export const INTERVAL_COUNT = INTERVALS_PER_DAY * DAYS_IN_YEAR;
/** Length of one step in hours: kW · INTERVAL_HOURS = kWh. */
export const INTERVAL_HOURS = 0.25;

export interface EnergyFigures {
  autarky_percent: number;
  total_consumption_mwh: number;
  total_production_mwh: number;
}

export interface EnergyMember {
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
}

interface Shapes {
  /** Share of the annual consumption falling in each interval (sums to 1). */
  demand: Float64Array;
  /** Production per kWp in kW (maximum 1). */
  solar: Float64Array;
  /** Σ solar, so annual production needs no pass over the series. */
  solarSum: number;
}

let cachedShapes: Shapes | undefined;

/** Built on first use: 35 040 values each, shared by every community. */
function shapes(): Shapes {
  cachedShapes ??= buildShapes();
  return cachedShapes;
}

function buildShapes(): Shapes {
  const demand = new Float64Array(INTERVAL_COUNT);
  const solar = new Float64Array(INTERVAL_COUNT);
  for (let t = 0; t < INTERVAL_COUNT; t++) {
    const hour = (t % INTERVALS_PER_DAY) * INTERVAL_HOURS;
    const dayOfYear = Math.floor(t / INTERVALS_PER_DAY) + 1;
    demand[t] = demandShape(hour);
    solar[t] = solarShape(hour, dayOfYear);
  }
  const demandSum = sum(demand);
  let solarMax = 0;
  for (let t = 0; t < INTERVAL_COUNT; t++) {
    demand[t] /= demandSum;
    solarMax = Math.max(solarMax, solar[t]);
  }
  for (let t = 0; t < INTERVAL_COUNT; t++) {
    solar[t] /= solarMax;
  }
  return { demand, solar, solarSum: sum(solar) };
}

/** Household load peaking at 13:30, halved at night. Unnormalised. */
function demandShape(hour: number): number {
  const c = Math.cos(((hour - 13.5) * Math.PI) / 12) ** 2;
  return hour < 6 || hour > 22 ? c / 2 : c;
}

/** Daylight arc from 06:00 to 18:00, stronger around the summer solstice (day 172). Unnormalised. */
function solarShape(hour: number, dayOfYear: number): number {
  const arc = Math.max(0, Math.sin(Math.max(0, ((hour - 6) * Math.PI) / 12))) ** 1.5;
  return arc * (1 + 0.5 * Math.cos(((dayOfYear - 172) * 2 * Math.PI) / 365));
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let t = 0; t < values.length; t++) {
    total += values[t];
  }
  return total;
}

/**
 * Figures for a community given its summed annual consumption and PV power. Since demand and production are
 * linear in these totals, this is exact for any number of members and costs one pass over the year.
 */
export function energyFromTotals(consumptionKwh: number, pvKwp: number): EnergyFigures {
  assertNonNegative('consumptionKwh', consumptionKwh);
  assertNonNegative('pvKwp', pvKwp);
  const { demand, solar, solarSum } = shapes();
  const demandKwPerShare = consumptionKwh / INTERVAL_HOURS;
  let demandKw = 0;
  let importKw = 0;
  for (let t = 0; t < INTERVAL_COUNT; t++) {
    const demandNow = demand[t] * demandKwPerShare;
    demandKw += demandNow;
    const deficit = demandNow - solar[t] * pvKwp;
    if (deficit > 0) {
      importKw += deficit;
    }
  }
  // Summing demand alongside the import (rather than taking Σ demand = 1 for granted) keeps 0 ≤ autarky ≤ 1
  // exactly: every import term is ≤ its demand term, and rounding preserves that order in the sums.
  const totalDemandKwh = demandKw * INTERVAL_HOURS;
  const importKwh = importKw * INTERVAL_HOURS;
  const autarky = totalDemandKwh === 0 ? 0 : (totalDemandKwh - importKwh) / totalDemandKwh;
  return {
    autarky_percent: 100 * autarky,
    // Σ demand shape = 1 by construction, so the year's demand is the annual consumption itself.
    total_consumption_mwh: consumptionKwh / 1000,
    total_production_mwh: (solarSum * pvKwp * INTERVAL_HOURS) / 1000,
  };
}

export function communityEnergy(members: readonly EnergyMember[]): EnergyFigures {
  let consumptionKwh = 0;
  let pvKwp = 0;
  for (const member of members) {
    consumptionKwh += member.annual_consumption_kwh;
    pvKwp += member.potential_pv_kwp;
  }
  return energyFromTotals(consumptionKwh, pvKwp);
}

function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}

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

interface YearShapes {
  /** Share of the annual consumption falling in each interval (sums to 1). */
  demand: Float64Array;
  /** Production per kWp in kW (maximum 1). */
  solar: Float64Array;
}

interface Model {
  shapes: YearShapes;
  /** Σ solar, so annual production needs no pass over the series. */
  solarSum: number;
  coverage: CoverageTable;
}

/**
 * The intervals ordered by solar / demand. A community with demand D (kW per unit of the demand shape) and PV power
 * p runs short exactly in the intervals where solar · p < demand · D, those whose ratio is below D / p: a prefix of
 * this order. Two running sums over the order then give its figures without a pass over the year.
 */
interface CoverageTable {
  /** Ascending. */
  ratio: Float64Array;
  /** solarBefore[k]: Σ solar over the first k intervals of the order. */
  solarBefore: Float64Array;
  /**
   * demandFrom[k]: Σ demand over the intervals from the k-th on, summed from the end: a tail of a few tiny
   * demands keeps its precision instead of being the difference of two sums close to 1.
   */
  demandFrom: Float64Array;
}

let cachedModel: Model | undefined;

/** Built on first use and shared by every community. */
function model(): Model {
  if (cachedModel === undefined) {
    const shapes = buildShapes();
    cachedModel = { shapes, solarSum: sum(shapes.solar), coverage: buildCoverageTable(shapes) };
  }
  return cachedModel;
}

function buildShapes(): YearShapes {
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
  return { demand, solar };
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

/** Demand is positive in every interval (the squared cosine is never exactly 0 in floating point), so ratios are finite. */
function buildCoverageTable({ demand, solar }: YearShapes): CoverageTable {
  const n = demand.length;
  const byRatio = Array.from({ length: n }, (_, t) => t);
  byRatio.sort((a, b) => solar[a] / demand[a] - solar[b] / demand[b] || a - b);
  const ratio = new Float64Array(n);
  const solarBefore = new Float64Array(n + 1);
  const demandFrom = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const t = byRatio[k];
    ratio[k] = solar[t] / demand[t];
    solarBefore[k + 1] = solarBefore[k] + solar[t];
  }
  for (let k = n - 1; k >= 0; k--) {
    demandFrom[k] = demandFrom[k + 1] + demand[byRatio[k]];
  }
  return { ratio, solarBefore, demandFrom };
}

/**
 * Figures for a community given its summed annual consumption and PV power. Since demand and production are
 * linear in these totals, this is exact for any number of members; a binary search replaces the pass over the year.
 */
export function energyFromTotals(consumptionKwh: number, pvKwp: number): EnergyFigures {
  assertNonNegative('consumptionKwh', consumptionKwh);
  assertNonNegative('pvKwp', pvKwp);
  const { solarSum, coverage } = model();
  return {
    autarky_percent: 100 * coveredShare(coverage, consumptionKwh, pvKwp),
    // Σ demand shape = 1 by construction, so the year's demand is the annual consumption itself.
    total_consumption_mwh: consumptionKwh / 1000,
    total_production_mwh: (solarSum * pvKwp * INTERVAL_HOURS) / 1000,
  };
}

/**
 * The share of the year's demand met by the community's own production, Σ min(demand, production) / Σ demand over
 * the intervals. With D = consumption / INTERVAL_HOURS and p the PV power, an interval runs short when
 * solar · p < demand · D and then uses all of its production, otherwise covers all of its demand. Divided by D,
 * everything depends on p / D alone: communities that tie in the model (proportional totals, or PV enough for every
 * sunny interval) get bit-identical autarky. Every term is a sum of non-negative parts, so a tiny share is as
 * precise as a large one.
 */
function coveredShare({ ratio, solarBefore, demandFrom }: CoverageTable, consumptionKwh: number, pvKwp: number): number {
  if (consumptionKwh === 0) {
    return 0;
  }
  const demandKwPerShare = consumptionKwh / INTERVAL_HOURS;
  const shortIntervals = countBelow(ratio, demandKwPerShare / pvKwp);
  const covered = (pvKwp / demandKwPerShare) * solarBefore[shortIntervals] + demandFrom[shortIntervals];
  // Rounding must not lift a share above the whole demand.
  return Math.min(1, covered / demandFrom[0]);
}

/** The number of values below x in an ascending array: binary search. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * The same figures by a pass over the year's intervals, as the previous version computed them. The engine does not
 * use it: it is the reference that energyFromTotals is tested against, kept beside the model it evaluates.
 */
export function energyStepByStep(consumptionKwh: number, pvKwp: number): EnergyFigures {
  assertNonNegative('consumptionKwh', consumptionKwh);
  assertNonNegative('pvKwp', pvKwp);
  const { shapes, solarSum } = model();
  const { demand, solar } = shapes;
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
    total_consumption_mwh: consumptionKwh / 1000,
    total_production_mwh: (solarSum * pvKwp * INTERVAL_HOURS) / 1000,
  };
}

/** The members' consumption and PV power added up. */
export function summedEnergy(members: readonly EnergyMember[]): EnergyMember {
  let consumptionKwh = 0;
  let pvKwp = 0;
  for (const member of members) {
    consumptionKwh += member.annual_consumption_kwh;
    pvKwp += member.potential_pv_kwp;
  }
  return { annual_consumption_kwh: consumptionKwh, potential_pv_kwp: pvKwp };
}

export function communityEnergy(members: readonly EnergyMember[]): EnergyFigures {
  const totals = summedEnergy(members);
  return energyFromTotals(totals.annual_consumption_kwh, totals.potential_pv_kwp);
}

function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}

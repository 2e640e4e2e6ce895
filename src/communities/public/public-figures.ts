import { EnergyMember, energyFromTotals } from '../engine/autarky';

/**
 * A group's energy figures are published only from this many members on: below it, one member's
 * consumption or PV power would follow from the totals by difference (add a 0 kWh probe next to a
 * lone building and the totals are that building's).
 */
export const MIN_MEMBERS_FOR_FIGURES = 3;
/**
 * The dominance rule of statistical disclosure control: nothing is published while one member has
 * more than this share of the group's consumption or PV power. Without it, neighbours registered
 * with tiny figures (probes) would leave the group's figures, rounded or not, those of one household.
 */
export const DOMINANT_SHARE = 0.5;
/** Published autarky moves in 5 % steps, totals in 10 MWh steps: coarser than one household's share. */
export const AUTARKY_STEP_PERCENT = 5;
export const ENERGY_STEP_MWH = 10;

export type PublicFigures = {
  autarky_percent: number | null;
  total_consumption_mwh: number | null;
  total_production_mwh: number | null;
};

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

/** The largest single member's figures of a group (consumption and PV power each on its own). */
export function largestMember(members: readonly EnergyMember[]): EnergyMember {
  return {
    annual_consumption_kwh: Math.max(0, ...members.map((member) => member.annual_consumption_kwh)),
    potential_pv_kwp: Math.max(0, ...members.map((member) => member.potential_pv_kwp)),
  };
}

function dominated(totals: EnergyMember, largest: EnergyMember): boolean {
  return largest.annual_consumption_kwh > DOMINANT_SHARE * totals.annual_consumption_kwh || largest.potential_pv_kwp > DOMINANT_SHARE * totals.potential_pv_kwp;
}

/**
 * What the public may see of a group's figures: coarse, and nothing for groups too small to hide a
 * member or dominated by one member.
 */
export function publicFigures(members: number, totals: EnergyMember, largest: EnergyMember): PublicFigures {
  if (members < MIN_MEMBERS_FOR_FIGURES || dominated(totals, largest)) return { autarky_percent: null, total_consumption_mwh: null, total_production_mwh: null };
  const figures = energyFromTotals(totals.annual_consumption_kwh, totals.potential_pv_kwp);
  return {
    autarky_percent: roundTo(figures.autarky_percent, AUTARKY_STEP_PERCENT),
    total_consumption_mwh: roundTo(figures.total_consumption_mwh, ENERGY_STEP_MWH),
    total_production_mwh: roundTo(figures.total_production_mwh, ENERGY_STEP_MWH),
  };
}

import { EnergyFigures } from '../engine/autarky';

/**
 * A group's energy figures are published only from this many members on: below it, one member's
 * consumption or PV power would follow from the totals by difference (add a 0 kWh probe next to a
 * lone building and the totals are that building's).
 */
export const MIN_MEMBERS_FOR_FIGURES = 3;
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

/** What the public may see of a group's figures: coarse, and nothing for groups too small to hide a member. */
export function publicFigures(members: number, figures: EnergyFigures): PublicFigures {
  if (members < MIN_MEMBERS_FOR_FIGURES) return { autarky_percent: null, total_consumption_mwh: null, total_production_mwh: null };
  return {
    autarky_percent: roundTo(figures.autarky_percent, AUTARKY_STEP_PERCENT),
    total_consumption_mwh: roundTo(figures.total_consumption_mwh, ENERGY_STEP_MWH),
    total_production_mwh: roundTo(figures.total_production_mwh, ENERGY_STEP_MWH),
  };
}

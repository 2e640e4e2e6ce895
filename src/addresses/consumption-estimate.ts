import { BuildingType, Heating } from './address-directory';

/**
 * A yearly electricity consumption estimated from register facts. It is an estimate for ranking
 * candidate communities, not a measurement: owners may correct it (within bounds) when registering.
 *
 * Sources of the figures (see docs/GEODATA.md):
 * - Households without electric heating: EnergieSchweiz/BFE "Stromverbrauch eines typischen Haushalts"
 *   gives 3 550 kWh (2 persons) to 5 200 kWh (4 persons) for a single-family house and 2 200 (1 person)
 *   to 3 850 kWh (4 persons) for a flat; the average Swiss household has about 2.2 persons (BFS).
 *   We keep the previous version's 4 500 kWh for a single-family house and use the two-person flat,
 *   2 750 kWh, per dwelling of a multi-family house (the previous version used 2 500).
 * - Non-residential: about 40 kWh per m² and year for lighting, equipment and ventilation, the order of
 *   magnitude of the SIA 2024 standard values for offices (retail and restaurants use more).
 * - Heating electricity: useful heat for space heating and hot water per m² of energy reference area
 *   by construction period (new buildings near the SIA 380/1 limits plus its hot-water standard use;
 *   older ones the typical values of the unrenovated Swiss stock), divided by a seasonal performance
 *   factor of 3.0 for heat pumps (field measurements of air/water heat pumps in existing houses lie
 *   around 2.8–3.3; ground-source ones higher) or 1.0 for direct electric heating.
 */
export const HOUSEHOLD_SINGLE_FAMILY_KWH = 4500;
export const HOUSEHOLD_FLAT_KWH = 2750;
export const NON_RESIDENTIAL_KWH_PER_M2 = 40;
export const HEAT_PUMP_SEASONAL_PERFORMANCE = 3.0;
export const DIRECT_ELECTRIC_EFFICIENCY = 1.0;

/** Energy reference area assumed when the register has none (m²). */
export const ASSUMED_AREA_SINGLE_FAMILY_M2 = 160;
export const ASSUMED_AREA_PER_FLAT_M2 = 100;
export const ASSUMED_AREA_NON_RESIDENTIAL_M2 = 300;

/** Useful heat (space heating and hot water) in kWh per m² and year, by construction period. */
const HEAT_DEMAND_BY_PERIOD: { builtUntil: number; kwhPerM2: number }[] = [
  { builtUntil: 1980, kwhPerM2: 130 },
  { builtUntil: 2000, kwhPerM2: 95 },
  { builtUntil: 2010, kwhPerM2: 70 },
  { builtUntil: Number.POSITIVE_INFINITY, kwhPerM2: 45 },
];
export const HEAT_DEMAND_UNKNOWN_YEAR_KWH_PER_M2 = 100;

export type ConsumptionFacts = {
  buildingType: BuildingType;
  dwellings: number | null;
  energyReferenceAreaM2: number | null;
  constructionYear: number | null;
  heating: Heating;
};

function dwellingsOf(facts: ConsumptionFacts): number {
  if (facts.buildingType === 'EFH') return 1;
  if (facts.dwellings !== null && facts.dwellings > 0) return facts.dwellings;
  if (facts.buildingType === 'non-residential') return 0;
  // A multi-family house without a dwelling count: at least two, more if its area says so.
  const byArea = Math.round((facts.energyReferenceAreaM2 ?? 0) / ASSUMED_AREA_PER_FLAT_M2);
  return Math.max(2, byArea);
}

function areaOf(facts: ConsumptionFacts, dwellings: number): number {
  if (facts.energyReferenceAreaM2 !== null && facts.energyReferenceAreaM2 > 0) return facts.energyReferenceAreaM2;
  if (facts.buildingType === 'EFH') return ASSUMED_AREA_SINGLE_FAMILY_M2;
  if (facts.buildingType === 'MFH') return dwellings * ASSUMED_AREA_PER_FLAT_M2;
  return ASSUMED_AREA_NON_RESIDENTIAL_M2;
}

export function heatDemandKwhPerM2(constructionYear: number | null): number {
  if (constructionYear === null) return HEAT_DEMAND_UNKNOWN_YEAR_KWH_PER_M2;
  return HEAT_DEMAND_BY_PERIOD.find((period) => constructionYear <= period.builtUntil)!.kwhPerM2;
}

function householdsKwh(facts: ConsumptionFacts, dwellings: number): number {
  if (facts.buildingType === 'EFH') return HOUSEHOLD_SINGLE_FAMILY_KWH;
  return dwellings * HOUSEHOLD_FLAT_KWH;
}

/** Non-residential use: the whole area of a non-residential building, or what the flats of a mixed one leave. */
function businessKwh(facts: ConsumptionFacts, dwellings: number, area: number): number {
  if (facts.buildingType === 'non-residential') return Math.max(0, area - dwellings * ASSUMED_AREA_PER_FLAT_M2) * NON_RESIDENTIAL_KWH_PER_M2;
  return 0;
}

function heatingKwh(facts: ConsumptionFacts, area: number): number {
  const heat = area * heatDemandKwhPerM2(facts.constructionYear);
  if (facts.heating === 'heat_pump') return heat / HEAT_PUMP_SEASONAL_PERFORMANCE;
  if (facts.heating === 'electric') return heat / DIRECT_ELECTRIC_EFFICIENCY;
  return 0;
}

/** Yearly electricity in kWh, rounded to 100 kWh (the precision an estimate deserves). */
export function estimateAnnualConsumptionKwh(facts: ConsumptionFacts): number {
  const dwellings = dwellingsOf(facts);
  const area = areaOf(facts, dwellings);
  const total = householdsKwh(facts, dwellings) + businessKwh(facts, dwellings, area) + heatingKwh(facts, area);
  return Math.max(100, Math.round(total / 100) * 100);
}

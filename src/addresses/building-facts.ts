import { BuildingType, Heating } from './address-directory';

/**
 * Codes of the federal building and dwelling register (GWR), feature catalogue 4.2
 * (https://www.housing-stat.ch/de/help/42.html):
 * - GKAT (category): 1010 provisional shelter, 1020 residential only, 1030 residential with secondary use,
 *   1040 partly residential, 1060 non-residential, 1080 special structure.
 * - GKLAS (class): 1110 one dwelling, 1121 two dwellings, 1122 three or more dwellings, 1130 residence
 *   for communities; 12xx non-residential classes (1211 hotels … 1278 agriculture).
 * - GWAERZH1 (heat generator, heating 1): 7410/7411 heat pump (one / several buildings),
 *   7450/7451 electric storage central heating, 7452 direct electric; others are boilers, stoves,
 *   district heat exchangers, solar thermal, CHP (7400 none, 7499 other).
 * - GENH1 (energy / heat source, heating 1): 7501 air, 7510–7513 ground and water (heat pump sources),
 *   7560 electricity; 7520 gas, 7530 oil, 7540–7543 wood, 7550 waste heat, 7570 solar, 7580–7582 district
 *   heat, 7598 undetermined, 7599 other, 7500 none.
 */
export const GKAT = { RESIDENTIAL_ONLY: 1020, RESIDENTIAL_WITH_SECONDARY_USE: 1030, PARTLY_RESIDENTIAL: 1040, NON_RESIDENTIAL: 1060, SPECIAL: 1080 } as const;
export const GKLAS = { ONE_DWELLING: 1110, TWO_DWELLINGS: 1121, THREE_OR_MORE_DWELLINGS: 1122, COMMUNITY_RESIDENCE: 1130 } as const;

const HEAT_PUMP_GENERATORS = new Set([7410, 7411]);
const ELECTRIC_GENERATORS = new Set([7450, 7451, 7452]);
const HEAT_PUMP_SOURCES = new Set([7501, 7510, 7511, 7512, 7513]);
const ELECTRICITY_SOURCE = 7560;
const UNDETERMINED_SOURCE = 7598;

export type RegisterFacts = {
  category: number | null;
  buildingClass: number | null;
  dwellings: number | null;
};

function isNonResidential(facts: RegisterFacts): boolean {
  if (facts.category === GKAT.NON_RESIDENTIAL || facts.category === GKAT.SPECIAL) return true;
  return facts.buildingClass !== null && facts.buildingClass >= 1200;
}

/**
 * The previous version's three words. Non-residential by category or class; otherwise one dwelling
 * (class 1110, or a count of one) is a single-family house (EFH) and more is a multi-family house
 * (MFH). A residential building the register says nothing more about counts as EFH, the commonest case.
 */
export function buildingTypeOf(facts: RegisterFacts): BuildingType {
  if (isNonResidential(facts)) return 'non-residential';
  if (facts.dwellings !== null && facts.dwellings >= 2) return 'MFH';
  if (facts.dwellings === 1 || facts.buildingClass === GKLAS.ONE_DWELLING) return 'EFH';
  const multi: number[] = [GKLAS.TWO_DWELLINGS, GKLAS.THREE_OR_MORE_DWELLINGS, GKLAS.COMMUNITY_RESIDENCE];
  if (facts.buildingClass !== null && multi.includes(facts.buildingClass)) return 'MFH';
  if (facts.dwellings === 0 && facts.category === GKAT.PARTLY_RESIDENTIAL) return 'non-residential';
  return 'EFH';
}

/**
 * Heating as far as electricity is concerned: the heat generator decides when it is a heat pump or
 * electric; otherwise the energy source (air / ground / water means a heat pump, electricity means
 * electric). Any other recorded code is 'other'; nothing recorded is 'unknown'.
 */
export function heatingOf(generator: number | null, source: number | null): Heating {
  if (generator !== null && HEAT_PUMP_GENERATORS.has(generator)) return 'heat_pump';
  if (generator !== null && ELECTRIC_GENERATORS.has(generator)) return 'electric';
  if (source !== null && HEAT_PUMP_SOURCES.has(source)) return 'heat_pump';
  if (source === ELECTRICITY_SOURCE) return 'electric';
  if (generator !== null) return 'other';
  if (source !== null && source !== UNDETERMINED_SOURCE) return 'other';
  return 'unknown';
}

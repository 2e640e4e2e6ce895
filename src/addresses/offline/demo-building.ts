import { createHash } from 'node:crypto';
import { BuildingType, DirectoryBuilding, Heating } from '../address-directory';
import { estimateAnnualConsumptionKwh } from '../consumption-estimate';
import { MODULE_KWP_PER_M2, potentialPvKwp } from '../solar-potential';
import { StreetCharacter } from './gazetteer.data';
import { GazetteerEntry } from './gazetteer';

/** Shares of single-family, multi-family and non-residential buildings by kind of street. */
const MIX: Record<StreetCharacter, { efh: number; mfh: number }> = {
  houses: { efh: 0.8, mfh: 0.17 },
  mixed: { efh: 0.55, mfh: 0.35 },
  centre: { efh: 0.15, mfh: 0.55 },
};
const NON_RESIDENTIAL_CLASSES = [1220, 1230, 1231, 1251];
/** Sonnendach's yields assume a performance ratio of 80 % on top of the module efficiency. */
const PERFORMANCE_RATIO = 0.8;

/** Deterministic numbers in [0, 1) from the id: the same address always gets the same building. */
function dice(id: string): (slot: number) => number {
  const digest = createHash('sha256').update(`demo-building:${id}`).digest();
  return (slot) => digest.readUInt32BE(slot * 4) / 0x1_0000_0000;
}

const between = (unit: number, min: number, max: number): number => min + unit * (max - min);

function typeFor(character: StreetCharacter, unit: number): BuildingType {
  const mix = MIX[character];
  if (unit < mix.efh) return 'EFH';
  return unit < mix.efh + mix.mfh ? 'MFH' : 'non-residential';
}

function heatingFor(year: number, unit: number): Heating {
  if (year > 2010) return unit < 0.65 ? 'heat_pump' : 'other';
  if (unit < 0.18) return 'heat_pump';
  return unit < 0.23 ? 'electric' : 'other';
}

type Shape = { category: number; buildingClass: number; dwellings: number | null; areaM2: number; storeys: number };

function shapeFor(type: BuildingType, character: StreetCharacter, roll: (slot: number) => number): Shape {
  if (type === 'EFH') return { category: 1020, buildingClass: 1110, dwellings: 1, areaM2: Math.round(between(roll(3), 120, 240)), storeys: 2 };
  if (type === 'MFH') {
    const dwellings = 3 + Math.floor(roll(3) * 10);
    return {
      category: character === 'centre' ? 1030 : 1020,
      buildingClass: 1122,
      dwellings,
      areaM2: Math.round(dwellings * between(roll(4), 75, 105)),
      storeys: Math.min(6, 2 + Math.ceil(dwellings / 3)),
    };
  }
  const buildingClass = NON_RESIDENTIAL_CLASSES[Math.floor(roll(4) * NON_RESIDENTIAL_CLASSES.length)];
  return { category: 1060, buildingClass, dwellings: null, areaM2: Math.round(between(roll(3), 300, 1500)), storeys: 2 };
}

/**
 * Plausible register-like facts for a demo address, derived from its id alone: mostly single-family
 * houses, some multi-family and a few non-residential buildings, more of the latter in the centre.
 * The roof is the footprint plus pitch, of which a share is suitable; its yield follows Sonnendach's
 * own assumptions, and consumption and PV come from the same functions as for real buildings.
 */
export function demoBuilding(entry: GazetteerEntry): DirectoryBuilding {
  const roll = dice(entry.id);
  const character = entry.street.character;
  const buildingType = typeFor(character, roll(0));
  const constructionYear = Math.floor(between(roll(1), 1900, 2023));
  const heating = heatingFor(constructionYear, roll(2));
  const shape = shapeFor(buildingType, character, roll);
  const roofAreaM2 = Math.round((shape.areaM2 / shape.storeys) * 1.1 * between(roll(5), 0.45, 0.95) * 10) / 10;
  const irradiation = between(roll(6), 1050, 1300);
  const annualConsumption = estimateAnnualConsumptionKwh({
    buildingType,
    dwellings: shape.dwellings,
    energyReferenceAreaM2: shape.areaM2,
    constructionYear,
    heating,
  });
  return {
    building_id: entry.id,
    address: entry.label,
    plz: entry.street.town.plz,
    municipality: entry.street.town.municipality,
    bfs_number: entry.street.town.bfsNumber,
    canton: 'AG',
    lat: entry.lat,
    lon: entry.lon,
    building_type: buildingType,
    building_category: shape.category,
    building_class: shape.buildingClass,
    dwellings: shape.dwellings,
    energy_reference_area_m2: shape.areaM2,
    construction_year: constructionYear,
    heating,
    roof_area_m2: roofAreaM2,
    solar_yield_kwh: Math.round(roofAreaM2 * irradiation * MODULE_KWP_PER_M2 * PERFORMANCE_RATIO),
    annual_consumption_kwh: annualConsumption,
    potential_pv_kwp: potentialPvKwp(roofAreaM2),
    source: 'offline-demo',
    demo: true,
  };
}

import { AddressDirectoryKind } from '../config/env.validation';

/** One address offered while the owner types (snake_case: it goes into API answers as it is). */
export type AddressSuggestion = {
  /** "Badstrasse 12, 5400 Baden", without markup. */
  label: string;
  building_id: string;
  plz: number;
  /** The postal locality of the address (the building's municipality comes with the building). */
  municipality: string;
  lat: number;
  lon: number;
};

export const BUILDING_TYPES = ['EFH', 'MFH', 'non-residential'] as const;
export type BuildingType = (typeof BUILDING_TYPES)[number];
export type Heating = 'heat_pump' | 'electric' | 'other' | 'unknown';

/** What the directory knows about a building, and what it estimates from that. */
export type DirectoryBuilding = {
  /** geoadmin: the federal building identifier (EGID) as a string; offline: the gazetteer id. */
  building_id: string;
  /** "Badstrasse 12, 5400 Baden", without markup. */
  address: string;
  plz: number;
  municipality: string;
  bfs_number: number | null;
  canton: string | null;
  /** WGS 84. */
  lat: number;
  lon: number;
  /** The previous version's words: EFH (single-family), MFH (multi-family) or non-residential. */
  building_type: BuildingType;
  /** GWR codes GKAT and GKLAS. */
  building_category: number | null;
  building_class: number | null;
  dwellings: number | null;
  energy_reference_area_m2: number | null;
  construction_year: number | null;
  heating: Heating;
  /** Suitable roof faces of the building, summed. */
  roof_area_m2: number;
  solar_yield_kwh: number;
  /** An estimate from the register facts (see consumption-estimate.ts), not a measurement. */
  annual_consumption_kwh: number;
  /** From the suitable roof area (see solar-potential.ts). */
  potential_pv_kwp: number;
  source: 'geoadmin' | 'offline-demo';
  demo: boolean;
};

export type Resolution =
  | { status: 'found'; building: DirectoryBuilding }
  | { status: 'outside-area'; plz: number | null }
  | { status: 'unknown' };

/**
 * Resolves Swiss addresses to buildings. A port: `geoadmin` asks the federal geodata services,
 * `offline` answers from a small demo gazetteer (ADDRESS_DIRECTORY). When the directory cannot
 * answer it throws ServiceUnavailableException; it never invents data.
 */
export abstract class AddressDirectory {
  abstract readonly kind: AddressDirectoryKind;
  abstract readonly demo: boolean;
  /** For the start-up log: which directory, where, which area. No secrets. */
  abstract readonly description: string;

  /** Addresses matching what the owner typed so far, only inside the area, best first. */
  abstract suggest(query: string, limit: number): Promise<AddressSuggestion[]>;

  /** The best match of a free-text address. */
  abstract resolveAddress(text: string): Promise<Resolution>;

  /** A building by the id a suggestion carried. */
  abstract resolveBuilding(buildingId: string): Promise<Resolution>;
}

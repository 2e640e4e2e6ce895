import { offsetMeters } from '../../geo/geo';
import { foldAddress } from '../address-text';
import { DEMO_STREETS, DemoStreet, StreetCharacter } from './gazetteer.data';

/** One address of the demo gazetteer. */
export type GazetteerEntry = {
  id: string;
  street: DemoStreet;
  number: number;
  /** "Badstrasse 12, 5400 Baden" */
  label: string;
  lat: number;
  lon: number;
  /** Folded tokens of street, number, postcode and place, for matching typed text. */
  streetTokens: string[];
  placeTokens: string[];
};

/** Metres between neighbouring numbers on one side of a street. */
const SPACING_M: Record<StreetCharacter, number> = { centre: 12, mixed: 16, houses: 20 };
/** Houses stand this far either side of the street's centre line (odd numbers left, even right). */
const SIDE_OFFSET_M = 9;
const FIRST_HOUSE_M = 8;
const MAX_HOUSES_PER_SIDE = 30;
const DEG = Math.PI / 180;

const tokens = (text: string): string[] => foldAddress(text).split(/[\s-]+/).filter(Boolean);
const slug = (text: string): string => tokens(text).join('-');
const round7 = (value: number): number => Math.round(value * 1e7) / 1e7;

function position(street: DemoStreet, number: number): { lat: number; lon: number } {
  const along = FIRST_HOUSE_M + Math.floor((number - 1) / 2) * SPACING_M[street.character];
  const side = number % 2 === 1 ? -SIDE_OFFSET_M : SIDE_OFFSET_M;
  const bearing = street.bearingDeg * DEG;
  // Along the bearing, then sideways at right angles to it (positive: to the right when walking).
  const north = along * Math.cos(bearing) - side * Math.sin(bearing);
  const east = along * Math.sin(bearing) + side * Math.cos(bearing);
  const point = offsetMeters(street.start, north, east);
  return { lat: round7(point.lat), lon: round7(point.lon) };
}

export function housesPerSide(street: DemoStreet): number {
  return Math.min(MAX_HOUSES_PER_SIDE, Math.floor((street.lengthM - FIRST_HOUSE_M) / SPACING_M[street.character]) + 1);
}

function entriesOf(street: DemoStreet): GazetteerEntry[] {
  const count = housesPerSide(street) * 2;
  const streetTokens = tokens(street.name);
  const placeTokens = [...new Set([String(street.town.plz), ...tokens(street.town.locality), ...tokens(street.town.municipality)])];
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    return {
      id: `demo-${slug(street.town.locality)}-${slug(street.name)}-${number}`,
      street,
      number,
      label: `${street.name} ${number}, ${street.town.plz} ${street.town.locality}`,
      ...position(street, number),
      streetTokens,
      placeTokens,
    };
  });
}

export type Gazetteer = { entries: GazetteerEntry[]; byId: Map<string, GazetteerEntry> };

export function buildGazetteer(streets: DemoStreet[] = DEMO_STREETS): Gazetteer {
  const entries = streets.flatMap(entriesOf);
  return { entries, byId: new Map(entries.map((entry) => [entry.id, entry])) };
}

const isPrefixOfAny = (token: string, candidates: string[]): boolean => candidates.some((candidate) => candidate.startsWith(token));

function matchesTyped(entry: GazetteerEntry, typed: string[]): boolean {
  const candidates = [...entry.streetTokens, String(entry.number), ...entry.placeTokens];
  return typed.every((token) => isPrefixOfAny(token, candidates));
}

/**
 * Autocomplete: every word typed must begin a word of the address (street, number, postcode or
 * place), case and accents ignored: "badstr 1", "Bäderstrasse", "weite gasse 3". Streets that begin
 * with the first word come first, then by street, place and number.
 */
export function searchGazetteer(gazetteer: Gazetteer, query: string): GazetteerEntry[] {
  const typed = tokens(query);
  if (typed.length === 0) return [];
  const leading = (entry: GazetteerEntry): number => (entry.streetTokens[0].startsWith(typed[0]) ? 0 : 1);
  return gazetteer.entries
    .filter((entry) => matchesTyped(entry, typed))
    .sort(
      (a, b) =>
        leading(a) - leading(b) ||
        a.street.name.localeCompare(b.street.name, 'de') ||
        a.street.town.locality.localeCompare(b.street.town.locality, 'de') ||
        a.number - b.number,
    );
}

/** "Badstr." and "Badstr" written for "Badstrasse". */
function expandAbbreviation(token: string): string {
  return token.endsWith('str') ? `${token}asse` : token;
}

const OPTIONAL_WORDS = new Set(['ch', 'ag', 'schweiz', 'switzerland', 'suisse', 'svizzera']);

/**
 * Free text to one address: the whole street name and the number must be there; any postcode must be
 * the address's; any other word must belong to its place. "Badstrasse 12, 5400 Baden" and
 * "badstr. 12 baden" resolve; "Badstrasse 12 Wettingen" does not.
 */
export function resolveGazetteerText(gazetteer: Gazetteer, text: string): GazetteerEntry | undefined {
  const typed = tokens(text).map(expandAbbreviation);
  return gazetteer.entries.find((entry) => {
    if (!typed.includes(String(entry.number))) return false;
    if (!entry.streetTokens.every((token) => typed.includes(token))) return false;
    const rest = typed.filter((token) => token !== String(entry.number) && !entry.streetTokens.includes(token));
    return rest.every((token) => entry.placeTokens.includes(token) || OPTIONAL_WORDS.has(token));
  });
}

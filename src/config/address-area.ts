/** The 26 cantons by their official abbreviations, as the federal registers write them (GWR GDEKT). */
export const CANTONS = [
  'AG', 'AI', 'AR', 'BE', 'BL', 'BS', 'FR', 'GE', 'GL', 'GR', 'JU', 'LU', 'NE',
  'NW', 'OW', 'SG', 'SH', 'SO', 'SZ', 'TG', 'TI', 'UR', 'VD', 'VS', 'ZG', 'ZH',
] as const;

type PostcodeRange = { from: number; to: number };

/** Where the platform operates: postcodes, postcode ranges and whole cantons (any one matching is enough). */
export type AddressArea = { ranges: PostcodeRange[]; cantons: string[]; description: string };

const RANGE = /^(\d{4})(?:-(\d{4}))?$/;
const CANTON = /^[A-Za-z]{2}$/;

function parseEntry(entry: string): PostcodeRange | string {
  const range = RANGE.exec(entry);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1000 || to < from) throw new Error(`"${entry}" is not a postcode range from low to high`);
    return { from, to };
  }
  const canton = entry.toUpperCase();
  if (CANTON.test(entry) && (CANTONS as readonly string[]).includes(canton)) return canton;
  throw new Error(`"${entry}" is neither a postcode (5400), a range (5000-5999) nor a canton (AG)`);
}

/**
 * Parses ADDRESS_AREA, e.g. "5000-5999,8000-8099,ZH". Throws with the offending entry, so that
 * configuration validation can name it.
 */
export function parseAddressArea(text: string): AddressArea {
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('the area is empty');
  const area: AddressArea = { ranges: [], cantons: [], description: entries.join(',') };
  for (const parsed of entries.map(parseEntry)) {
    if (typeof parsed === 'string') area.cantons.push(parsed);
    else area.ranges.push(parsed);
  }
  return area;
}

/** The problem with an ADDRESS_AREA value, or undefined when it is valid. */
export function addressAreaProblem(text: string): string | undefined {
  try {
    parseAddressArea(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** True when the postcode lies in one of the ranges or the canton is one of the area's cantons. */
export function isInArea(area: AddressArea, place: { plz: number | null; canton: string | null }): boolean {
  if (place.plz !== null && area.ranges.some((range) => place.plz! >= range.from && place.plz! <= range.to)) return true;
  return place.canton !== null && area.cantons.includes(place.canton.toUpperCase());
}

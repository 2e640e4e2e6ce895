const TAG = /<[^>]*>?/g;
const BOLD_PLACE = /^(.*?)\s*<b>\s*(\d{4})\s+([^<]+?)\s*<\/b>\s*$/i;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (entity) => ENTITIES[entity]);
}

/** Any markup removed (`<b>`, `<i>`, stray `<`), entities decoded, whitespace collapsed. */
export function stripMarkup(text: string): string {
  return collapse(decodeEntities(text.replace(TAG, ' ')));
}

/**
 * A search label as the federal SearchServer writes it, "Badstrasse 12 <b>5400 Baden</b>", becomes
 * "Badstrasse 12, 5400 Baden"; any other label just loses its markup.
 */
export function addressLabel(label: string): string {
  const parts = BOLD_PLACE.exec(label);
  if (!parts) return stripMarkup(label);
  return `${stripMarkup(parts[1])}, ${parts[2]} ${stripMarkup(parts[3])}`;
}

/** The postcode and place of such a label ("<b>5400 Baden</b>"), if it has them. */
export function labelPlace(label: string): { plz: number; place: string } | undefined {
  const parts = BOLD_PLACE.exec(label);
  return parts ? { plz: Number(parts[2]), place: stripMarkup(parts[3]) } : undefined;
}

/**
 * Lower case without accents, umlauts or punctuation other than separators: the form under which
 * two spellings of one address ("Bäderstrasse 3" / "baederstrasse  3") meet in the cache and the
 * gazetteer.
 */
export function foldAddress(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[.,;:]/g, ' ');
  return collapse(folded);
}

/**
 * Text for the federal search: markup removed, commas dropped (the search splits words on spaces
 * only) and at most 10 words (the SearchServer refuses more).
 */
export function searchText(text: string): string {
  return stripMarkup(text).replace(/,/g, ' ').split(/\s+/).filter(Boolean).slice(0, 10).join(' ');
}

/** The house-number-like tokens of a text: "12", "12a", "7b" (lower case). */
export function houseNumbers(text: string): string[] {
  return foldAddress(text)
    .split(/[\s-]+/)
    .filter((token) => /^\d{1,4}[a-z]?$/.test(token));
}

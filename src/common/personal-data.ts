/**
 * An address whose local part is a run of atom characters, or a quoted string (`"a b"@x.ch`, with
 * `\"` escapes inside) whose closing quote is followed by `@`: other quotes in the text (JSON, quoted
 * words) are never taken for one. Both are kept cheap on long texts (a 16 kB URL is logged): a run
 * of atom characters is tried from its start only, and the quoted string is bounded (a local part
 * has at most 64 characters).
 */
const EMAIL =
  /(?:"(?:[^"\\]|\\[\s\S]){0,200}"|(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+)@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+/g;
const PHONE = /(?:\+|00)\d[\d\s./()-]{7,}\d|\b0\d{2}[\s./-]?\d{3}[\s./-]?\d{2}[\s./-]?\d{2}\b/g;
const TOKEN_IN_PATH = /\/(confirm|unsubscribe)\/[^/?#\s]+/g;
const OPAQUE_TOKEN = /\b[A-Za-z0-9_-]{43,}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * Removes what must never reach a log line: e-mail addresses, phone numbers and link tokens.
 * Applied to every logged message and URL as a safety net behind code that avoids logging them.
 */
export function redactPersonalData(text: string): string {
  return text
    .replace(TOKEN_IN_PATH, '/$1/[token]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, '[phone]')
    .replace(OPAQUE_TOKEN, '[token]');
}

/** The path of a request URL without its query string (which may carry an e-mail filter), redacted. */
export function redactUrl(url: string): string {
  const path = url.split('?')[0];
  return redactPersonalData(path) + (url.includes('?') ? '?[query]' : '');
}

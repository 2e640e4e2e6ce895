/** Trims an e-mail address and lower-cases its domain (the local part may be case-sensitive). */
export function normaliseEmail(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return trimmed;
  return trimmed.slice(0, at) + '@' + trimmed.slice(at + 1).toLowerCase();
}

const PHONE_SEPARATORS = /[\s.\-/()[\]]/g;
const SWISS_PHONE = /^(?:\+41|0041|0)(\d{9})$/;

/**
 * Swiss numbers in any usual notation become +41XXXXXXXXX; anything else is returned unchanged so
 * that validation rejects it with a message. null, empty and absent mean "no phone".
 */
export function normalisePhone(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value;
  const compact = value.replace(PHONE_SEPARATORS, '');
  if (compact === '') return null;
  const match = SWISS_PHONE.exec(compact);
  return match ? `+41${match[1]}` : value;
}

const MARKUP = /<[^>]*>?/g;

/** Addresses are shown in e-mails and pages: markup is removed, whitespace collapsed. */
export function stripMarkup(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(MARKUP, '').replace(/\s+/g, ' ').trim();
}

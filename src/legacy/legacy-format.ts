import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { ImportedRecord } from '../building-records/building-records.service';
import { LegacyRegistrationDto } from './dto/legacy-profile.dto';
import { recordFieldsOf } from './legacy-record-fields';
import { isWellFormedToken, TokenKind } from '../tokens/token-format';
import { TokenByHash } from '../tokens/tokens.service';

/**
 * Pure helpers for the previous version's JSON files (database.json and its token store): turning
 * their loosely typed records into what the registration accepts, and its token keys into hashes.
 */

/** A problem with a whole file (not JSON, not one of the expected shapes): nothing is written. */
export class LegacyFileError extends Error {}

export const RECORD_SECTIONS = ['buildings', 'interest_pool'] as const;
export type RecordSection = (typeof RECORD_SECTIONS)[number];

export function isRecordSection(section: string): section is RecordSection {
  return (RECORD_SECTIONS as readonly string[]).includes(section);
}

/** Top-level keys of either file; anything else is ignored. */
export const KNOWN_SECTIONS = new Set([
  ...RECORD_SECTIONS,
  'verification_tokens',
  'unsubscribe_tokens',
  'cluster_contact_state',
  'clusters',
  'token_hashes',
  'created_at',
  'token_history',
  'last_saved',
  'last_updated',
]);

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const EXTRA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_EXTRA_KEYS = 30;
const MAX_EXTRA_STRING = 500;
const PROFILE_NUMBERS = ['lat', 'lon', 'plz', 'annual_consumption_kwh', 'potential_pv_kwp'] as const;
const PROFILE_KNOWN = new Set(['building_id', 'address', 'plz', 'lat', 'lon', 'building_type', 'annual_consumption_kwh', 'potential_pv_kwp']);
const HASH = /^[0-9a-f]{64}$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Numbers written as strings ("5408", " 47.48 ") become numbers; anything else stays for validation to judge. */
export function coerceNumber(value: unknown): unknown {
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return value;
}

/** Epoch seconds (float, or a numeric string) or an ISO date; null when absent or unreadable. */
export function toDate(value: unknown): Date | null {
  const numeric = coerceNumber(value);
  if (typeof numeric === 'number' && Number.isFinite(numeric)) return new Date(Math.round(numeric * 1000));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** Epoch seconds with millisecond precision, as the previous version wrote its timestamps. */
export function toEpochSeconds(date: Date | null): number | null {
  return date ? date.getTime() / 1000 : null;
}

export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1' || value === 'True';
}

function isPlainExtra(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= MAX_EXTRA_STRING;
}

/**
 * The profile as a registration would send it: numbers from strings, the building id from the key
 * when missing; unknown keys are kept when they fit the registration's rule for extra fields
 * (a flat map of plain values) and dropped otherwise, so they never make a record fail.
 */
export function legacyProfile(key: string, profile: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  let extras = 0;
  for (const [name, value] of Object.entries(profile)) {
    if (PROFILE_KNOWN.has(name)) {
      if (value !== null || name === 'address' || name === 'building_type' || name === 'plz') result[name] = value;
    } else if (extras < MAX_EXTRA_KEYS && EXTRA_KEY.test(name) && isPlainExtra(value)) {
      result[name] = value;
      extras++;
    }
  }
  for (const name of PROFILE_NUMBERS) if (name in result) result[name] = coerceNumber(result[name]);
  if (result.building_id === undefined || result.building_id === null) result.building_id = key;
  return result;
}

/** A record ready to store, with the previous version's bookkeeping. */
/** registeredAt is null when the file does not say: an existing record keeps its date, a new one gets the import time. */
export type LegacyRecord = ImportedRecord;

export type ParsedRecord = { ok: true; record: LegacyRecord } | { ok: false; reason: string };

function describeErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? `${prefix ? prefix + '.' : ''}${message}` : `${path}: ${message}`));
    return [...own, ...describeErrors(error.children ?? [], path)];
  });
}

/**
 * Validates `{ email, phone, profile }` with exactly the rules (and normalisation) of a registration.
 * Other top-level keys are ignored.
 */
export async function validateRegistration(body: Record<string, unknown>): Promise<{ ok: true; dto: LegacyRegistrationDto } | { ok: false; reason: string }> {
  const dto = plainToInstance(LegacyRegistrationDto, { email: body.email, phone: body.phone ?? null, profile: body.profile });
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) return { ok: false, reason: describeErrors(errors).join('; ') };
  return { ok: true, dto };
}

/** One entry of `buildings` or `interest_pool`, validated like a registration. */
export async function parseLegacyRecord(key: string, value: unknown): Promise<ParsedRecord> {
  if (!isPlainObject(value)) return { ok: false, reason: 'the record is not an object' };
  if (!isPlainObject(value.profile)) return { ok: false, reason: 'profile is missing or not an object' };
  const profile = legacyProfile(key, value.profile);
  if (profile.building_id !== key) return { ok: false, reason: `profile.building_id "${String(profile.building_id)}" differs from its key` };
  const validated = await validateRegistration({ email: value.email, phone: value.phone, profile });
  if (!validated.ok) return validated;
  const registeredAt = toDate(value.registered_at) ?? toDate(value.verification_sent_at);
  const verified = toBoolean(value.verified);
  const verifiedAt = verified ? (toDate(value.verified_at) ?? registeredAt) : null;
  return { ok: true, record: { ...recordFieldsOf(validated.dto), verified, verifiedAt, registeredAt } };
}

/** A token of the previous version, or an exported hash, before its building is checked. */
export type LegacyToken = TokenByHash & {
  /** True when the file gave the expiry (exported hashes); otherwise created_at + TTL. */
  expiresGiven: boolean;
};

/** `verification_<token>` / `unsubscribe_<token>` keys of the token store's created_at and token_history. */
export function splitTokenKey(key: string): { kind: TokenKind; token: string } | null {
  const match = /^(verification|unsubscribe)_(.+)$/.exec(key);
  return match ? { kind: match[1] as TokenKind, token: match[2] } : null;
}

export function isTokenHash(value: string): boolean {
  return HASH.test(value);
}

export function isLegacyToken(value: string): boolean {
  return isWellFormedToken(value);
}

/** A stored record in the shape of the previous version's database.json. */
export function toLegacyRecord(row: {
  buildingId: string;
  email: string;
  phone: string | null;
  profile: Record<string, unknown>;
  verified: boolean;
  verifiedAt: Date | null;
  registeredAt: Date;
}): Record<string, unknown> {
  const record: Record<string, unknown> = {
    profile: row.profile,
    email: row.email,
    verified: row.verified,
    registered_at: toEpochSeconds(row.registeredAt),
  };
  if (row.phone) record.phone = row.phone;
  if (row.verifiedAt) record.verified_at = toEpochSeconds(row.verifiedAt);
  return record;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { DirectoryBuilding } from './address-directory';
import { FULL_ROOF_KWP_PER_M2 } from './solar-potential';

/** How long the answer of an address check may be used to register. */
export const PROFILE_VALIDITY_MS = 24 * 60 * 60 * 1000;
/** The owner may correct the consumption estimate within these multiples of it. */
export const CONSUMPTION_MIN_FACTOR = 0.25;
export const CONSUMPTION_MAX_FACTOR = 4;
/** The owner may declare PV up to the whole suitable roof with modern modules, and at least this much. */
export const PV_BOUND_FLOOR_KWP = 10;

const VERSION = 'v1';

/** What the directory said about a building, as signed into a profile token (snake_case like the API). */
export type SignedProfile = {
  building_id: string;
  address: string;
  plz: number;
  municipality: string;
  lat: number;
  lon: number;
  building_type: string;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
  roof_area_m2: number;
  source: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
};

/** A profile as a registration sends it back: the token and whichever fields the client kept. */
export type SubmittedProfile = Record<string, unknown> & { profile_token?: unknown };

export type ProfileFailureReason = 'missing' | 'malformed' | 'tampered' | 'expired' | 'out-of-bounds';

export type ProfileVerification =
  | {
      ok: true;
      signed: SignedProfile;
      /** What to store: the signed identity and the owner's figures (or the directory's estimates). */
      accepted: Omit<SignedProfile, 'expires_at' | 'roof_area_m2' | 'source'>;
    }
  | { ok: false; field: string; reason: ProfileFailureReason; message: string };

const IDENTITY_TEXT = ['building_id', 'address', 'municipality', 'building_type'] as const;
const IDENTITY_NUMBERS = ['plz', 'lat', 'lon'] as const;
const NUMBER_FIELDS = [...IDENTITY_NUMBERS, 'annual_consumption_kwh', 'potential_pv_kwp', 'roof_area_m2', 'expires_at'] as const;
const TEXT_FIELDS = [...IDENTITY_TEXT, 'source'] as const;
const COORDINATE_TOLERANCE = 1e-9;

const TOKEN_FIELD = 'profile.profile_token';
const CHECK_AGAIN = 'please check the address again';

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`leg-match-profile.${VERSION}.${payload}`).digest();
}

/** The directory's facts a profile carries: what its token signs, and what the client sends back beside it. */
export function profileFieldsOf(building: DirectoryBuilding): Omit<SignedProfile, 'expires_at'> {
  return {
    building_id: building.building_id,
    address: building.address,
    plz: building.plz,
    municipality: building.municipality,
    lat: building.lat,
    lon: building.lon,
    building_type: building.building_type,
    annual_consumption_kwh: building.annual_consumption_kwh,
    potential_pv_kwp: building.potential_pv_kwp,
    roof_area_m2: building.roof_area_m2,
    source: building.source,
  };
}

/** A token carrying the directory's profile of a building, valid until `expiresAt`. */
export function signProfile(key: Buffer, building: DirectoryBuilding, expiresAt: Date): string {
  const signed: SignedProfile = { ...profileFieldsOf(building), expires_at: expiresAt.getTime() };
  const payload = Buffer.from(JSON.stringify(signed)).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The bounds within which the owner may correct the directory's figures. */
export function correctionBounds(signed: Pick<SignedProfile, 'annual_consumption_kwh' | 'roof_area_m2'>) {
  return {
    consumption: {
      min: Math.round(signed.annual_consumption_kwh * CONSUMPTION_MIN_FACTOR),
      max: Math.round(signed.annual_consumption_kwh * CONSUMPTION_MAX_FACTOR),
    },
    pv: { min: 0, max: Math.max(PV_BOUND_FLOOR_KWP, Math.round(signed.roof_area_m2 * FULL_ROOF_KWP_PER_M2 * 10) / 10) },
  };
}

type Failure = Extract<ProfileVerification, { ok: false }>;
const fail = (field: string, reason: ProfileFailureReason, message: string): Failure => ({ ok: false, field, reason, message });

function isSignedProfile(value: unknown): value is SignedProfile {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    NUMBER_FIELDS.every((field) => typeof record[field] === 'number' && Number.isFinite(record[field])) &&
    TEXT_FIELDS.every((field) => typeof record[field] === 'string')
  );
}

/** The signed profile inside a token whose signature holds, or why not. */
function readToken(key: Buffer, token: unknown): SignedProfile | Failure {
  if (token === undefined || token === null || token === '') {
    return fail(TOKEN_FIELD, 'missing', `${TOKEN_FIELD} is required: ${CHECK_AGAIN} and send the profile it returns`);
  }
  const malformed = fail(TOKEN_FIELD, 'malformed', `${TOKEN_FIELD} is not a token from the address check; ${CHECK_AGAIN}`);
  if (typeof token !== 'string' || token.length > 4000) return malformed;
  const [version, payload, signature, ...rest] = token.split('.');
  if (version !== VERSION || !payload || !signature || rest.length > 0) return malformed;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(TOKEN_FIELD, 'tampered', `${TOKEN_FIELD} was not issued by this service or was changed; ${CHECK_AGAIN}`);
  }
  try {
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isSignedProfile(decoded) ? decoded : malformed;
  } catch {
    return malformed;
  }
}

const isFailure = (value: SignedProfile | Failure): value is Failure => 'ok' in value;

/** An identity field the client sent back must equal the signed one; one it left out takes the signed value. */
function identityProblem(signed: SignedProfile, submitted: SubmittedProfile): Failure | undefined {
  for (const field of IDENTITY_TEXT) {
    const value = submitted[field];
    if (value === undefined || value === null) continue;
    if (value !== signed[field]) {
      return fail(`profile.${field}`, 'tampered', `profile.${field} differs from the address check; ${CHECK_AGAIN} instead of changing it`);
    }
  }
  for (const field of IDENTITY_NUMBERS) {
    const value = submitted[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || Math.abs(value - signed[field]) > COORDINATE_TOLERANCE) {
      return fail(`profile.${field}`, 'tampered', `profile.${field} differs from the address check; ${CHECK_AGAIN} instead of changing it`);
    }
  }
  return undefined;
}

/** The owner's figure, the directory's estimate when none was sent, or a failure naming the field. */
function ownerFigure(submitted: SubmittedProfile, field: 'annual_consumption_kwh' | 'potential_pv_kwp', estimate: number, bounds: { min: number; max: number }, unit: string): number | Failure {
  const value = submitted[field];
  if (value === undefined || value === null) return estimate;
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`profile.${field}`, 'malformed', `profile.${field} must be a number`);
  if (value < bounds.min || value > bounds.max) {
    return fail(
      `profile.${field}`,
      'out-of-bounds',
      `profile.${field} must be between ${bounds.min} and ${bounds.max} ${unit} for this building (the estimate is ${estimate} ${unit})`,
    );
  }
  return value;
}

/**
 * Checks a profile sent back by a registration against the token the address check issued: the
 * signature (HMAC-SHA256, compared in constant time), the expiry, the identity fields (building,
 * address, postcode, municipality, position, type) and the owner's corrections of consumption and PV
 * power (see `correctionBounds`). A failure names the field, so the client can say what went wrong.
 */
export function verifyProfile(key: Buffer, submitted: SubmittedProfile, now: Date): ProfileVerification {
  const signed = readToken(key, submitted.profile_token);
  if (isFailure(signed)) return signed;
  if (now.getTime() > signed.expires_at) {
    return fail(TOKEN_FIELD, 'expired', `The address check has expired; ${CHECK_AGAIN} before registering`);
  }
  const identity = identityProblem(signed, submitted);
  if (identity) return identity;
  const bounds = correctionBounds(signed);
  const consumption = ownerFigure(submitted, 'annual_consumption_kwh', signed.annual_consumption_kwh, bounds.consumption, 'kWh');
  if (typeof consumption !== 'number') return consumption;
  const pv = ownerFigure(submitted, 'potential_pv_kwp', signed.potential_pv_kwp, bounds.pv, 'kWp');
  if (typeof pv !== 'number') return pv;
  const { expires_at: _expiresAt, roof_area_m2: _roof, source: _source, ...identityFields } = signed;
  return { ok: true, signed, accepted: { ...identityFields, annual_consumption_kwh: consumption, potential_pv_kwp: pv } };
}

import { randomBytes } from 'node:crypto';
import { DirectoryBuilding } from '../../src/addresses/address-directory';
import { PROFILE_VALIDITY_MS, profileFieldsOf, signProfile } from '../../src/addresses/profile-signature';
import { deriveKey } from '../../src/config/app-secret';
import { TEST_APP_SECRET } from './test-database';

let sequence = 0;

/** A unique building id per call, so tests never depend on each other. */
export function uniqueBuildingId(prefix = 'b'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(3).toString('hex')}`;
}

export type ProfileFacts = {
  buildingId: string;
  lat: number;
  lon: number;
  address?: string;
  plz?: number;
  buildingType?: 'EFH' | 'MFH' | 'non-residential';
  annualConsumptionKwh?: number;
  potentialPvKwp?: number;
  /** The profile expires this long after now (a day, as the service signs it). */
  validForMs?: number;
};

/**
 * The profile_summary an address check would answer for a building anywhere, signed with the test
 * secret as the service signs it: the geometry tests need buildings at chosen distances, which the
 * demo gazetteer does not offer. Same signer, same key as the service under test.
 */
export function signedProfile(facts: ProfileFacts, secret = TEST_APP_SECRET) {
  const building: DirectoryBuilding = {
    building_id: facts.buildingId,
    address: facts.address ?? 'Badstrasse 12, 5400 Baden',
    plz: facts.plz ?? 5400,
    municipality: 'Baden',
    bfs_number: 4021,
    canton: 'AG',
    lat: facts.lat,
    lon: facts.lon,
    building_type: facts.buildingType ?? 'EFH',
    building_category: 1020,
    building_class: 1110,
    dwellings: 1,
    energy_reference_area_m2: 180,
    construction_year: 1980,
    heating: 'other',
    roof_area_m2: 60,
    solar_yield_kwh: 9000,
    annual_consumption_kwh: facts.annualConsumptionKwh ?? 12000,
    potential_pv_kwp: facts.potentialPvKwp ?? 9,
    source: 'offline-demo',
    demo: true,
  };
  const expiresAt = new Date(Date.now() + (facts.validForMs ?? PROFILE_VALIDITY_MS));
  return {
    ...profileFieldsOf(building),
    profile_token: signProfile(deriveKey(secret, 'profile-signature'), building, expiresAt),
  };
}

export type RegistrationOverrides = {
  buildingId?: string;
  email?: string;
  phone?: string | null;
  lat?: number;
  lon?: number;
  address?: string;
  annualConsumptionKwh?: number;
  potentialPvKwp?: number;
  /** Applied after signing: fields a test changes on purpose (the server must then refuse or ignore them). */
  profile?: Record<string, unknown>;
  secret?: string;
};

/** A registration body as a client sends it after the address check, near Baden AG unless told otherwise. */
export function registrationBody(overrides: RegistrationOverrides = {}) {
  const buildingId = overrides.buildingId ?? uniqueBuildingId();
  const profile = signedProfile(
    {
      buildingId,
      lat: overrides.lat ?? 47.4731,
      lon: overrides.lon ?? 8.3066,
      address: overrides.address,
      annualConsumptionKwh: overrides.annualConsumptionKwh,
      potentialPvKwp: overrides.potentialPvKwp,
    },
    overrides.secret,
  );
  return {
    email: overrides.email ?? `${buildingId}@example.ch`,
    phone: 'phone' in overrides ? overrides.phone : '+41 79 123 45 67',
    profile: { ...profile, ...overrides.profile },
  };
}

/**
 * Registration bodies as a client sends them after the address check: the profile signed with the
 * key the service derives from its APP_SECRET. Signing happens before a load starts, so that the
 * timed section measures registration, not the bench preparing its requests.
 */
import { DirectoryBuilding } from '../src/addresses/address-directory';
import { PROFILE_VALIDITY_MS, profileFieldsOf, signProfile } from '../src/addresses/profile-signature';
import { deriveKey } from '../src/config/app-secret';

export type BuildingFacts = { building_id: string; lat: number; lon: number; address?: string; plz?: number };

/** Signs profiles the way ProfileSigner does, with the key of the service under test. */
export class ProfileSigning {
  private readonly key: Buffer;

  constructor(appSecret: string) {
    this.key = deriveKey(appSecret, 'profile-signature');
  }

  /** The profile_summary of an address check for these facts, signed now (valid for a day). */
  profile(facts: BuildingFacts): Record<string, unknown> {
    const building: DirectoryBuilding = {
      building_id: facts.building_id,
      address: facts.address ?? `Lastweg 1, ${facts.plz ?? 5000} Aarau`,
      plz: facts.plz ?? 5000,
      municipality: 'Aarau',
      bfs_number: 4001,
      canton: 'AG',
      lat: facts.lat,
      lon: facts.lon,
      building_type: 'EFH',
      building_category: 1020,
      building_class: 1110,
      dwellings: 1,
      energy_reference_area_m2: 180,
      construction_year: 1980,
      heating: 'other',
      roof_area_m2: 60,
      solar_yield_kwh: 9000,
      annual_consumption_kwh: 4500,
      potential_pv_kwp: 9.5,
      source: 'offline-demo',
      demo: true,
    };
    return {
      ...profileFieldsOf(building),
      profile_token: signProfile(this.key, building, new Date(Date.now() + PROFILE_VALIDITY_MS)),
    };
  }

  /** A JSON registration body for the building. */
  body(facts: BuildingFacts, email: string): string {
    return JSON.stringify({ email, profile: this.profile(facts) });
  }
}

/**
 * A stock of distinct registrations signed in advance for one load. A load that outruns the stock
 * starts over from its first body (re-registrations of the same buildings) and says so in `wrapped`.
 */
export class BodyStock {
  private next = 0;
  wrapped = 0;

  constructor(private readonly bodies: string[]) {}

  take(): string {
    if (this.next === this.bodies.length) {
      this.next = 0;
      this.wrapped++;
    }
    return this.bodies[this.next++];
  }
}

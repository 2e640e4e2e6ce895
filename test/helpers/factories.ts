import { randomBytes } from 'node:crypto';

let sequence = 0;

/** A unique building id per call, so tests never depend on each other. */
export function uniqueBuildingId(prefix = 'b'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(3).toString('hex')}`;
}

/** A registration body as the map page sends it, near Baden AG unless told otherwise. */
export function registrationBody(overrides: { buildingId?: string; email?: string; phone?: string | null; lat?: number; lon?: number; profile?: Record<string, unknown> } = {}) {
  const buildingId = overrides.buildingId ?? uniqueBuildingId();
  return {
    email: overrides.email ?? `${buildingId}@example.ch`,
    phone: 'phone' in overrides ? overrides.phone : '+41 79 123 45 67',
    profile: {
      building_id: buildingId,
      lat: overrides.lat ?? 47.4731,
      lon: overrides.lon ?? 8.3066,
      address: 'Badstrasse 12, 5400 Baden',
      plz: 5400,
      building_type: 'EFH',
      annual_consumption_kwh: 12000,
      potential_pv_kwp: 9,
      ...overrides.profile,
    },
  };
}

import { createHmac } from 'node:crypto';
import { deriveKey } from '../config/app-secret';
import { DirectoryBuilding } from './address-directory';
import { correctionBounds, PROFILE_VALIDITY_MS, signProfile, SubmittedProfile, verifyProfile } from './profile-signature';

const key = deriveKey('test-secret-0123456789abcdef0123456789abcdef', 'profile-signature');
const otherKey = deriveKey('another-secret-0123456789abcdef0123456789ab', 'profile-signature');
const issuedAt = new Date('2027-03-01T10:00:00Z');
const expiresAt = new Date(issuedAt.getTime() + PROFILE_VALIDITY_MS);

const building: DirectoryBuilding = {
  building_id: '190365',
  address: 'Badstrasse 12, 5400 Baden',
  plz: 5400,
  municipality: 'Baden',
  bfs_number: 4021,
  canton: 'AG',
  lat: 47.4738123,
  lon: 8.3071456,
  building_type: 'EFH',
  building_category: 1020,
  building_class: 1110,
  dwellings: 1,
  energy_reference_area_m2: 180,
  construction_year: 1968,
  heating: 'other',
  roof_area_m2: 64,
  solar_yield_kwh: 10200,
  annual_consumption_kwh: 4500,
  potential_pv_kwp: 7.6,
  source: 'geoadmin',
  demo: false,
};

/** The profile as the address check returns it, sent back unchanged. */
function submitted(overrides: SubmittedProfile = {}, token = signProfile(key, building, expiresAt)): SubmittedProfile {
  const { building_id, address, plz, municipality, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp } = building;
  return { profile_token: token, building_id, address, plz, municipality, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp, ...overrides };
}

/** A token whose payload was re-encoded with one field changed, keeping the original signature. */
function withChangedPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [version, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  change(decoded);
  return `${version}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
}

describe(verifyProfile.name, () => {
  const now = new Date(issuedAt.getTime() + 60_000);

  it('should accept an unchanged profile and return what was signed', () => {
    const result = verifyProfile(key, submitted(), now);

    expect(result).toEqual({
      ok: true,
      signed: expect.objectContaining({ building_id: '190365', lat: 47.4738123, roof_area_m2: 64, source: 'geoadmin', expires_at: expiresAt.getTime() }),
      accepted: {
        building_id: '190365',
        address: 'Badstrasse 12, 5400 Baden',
        plz: 5400,
        municipality: 'Baden',
        lat: 47.4738123,
        lon: 8.3071456,
        building_type: 'EFH',
        annual_consumption_kwh: 4500,
        potential_pv_kwp: 7.6,
      },
    });
  });

  it('should take the signed values for identity fields the client left out', () => {
    const result = verifyProfile(key, { profile_token: signProfile(key, building, expiresAt) }, now);

    expect(result).toMatchObject({ ok: true, accepted: { address: 'Badstrasse 12, 5400 Baden', annual_consumption_kwh: 4500 } });
  });

  it.each([
    ['building_id', '190366'],
    ['address', 'Badstrasse 14, 5400 Baden'],
    ['plz', 5401],
    ['municipality', 'Wettingen'],
    ['lat', 47.4738124],
    ['lon', 8.31],
    ['building_type', 'MFH'],
    ['lat', '47.4738123'],
  ])('should refuse a changed %s, naming it', (field, value) => {
    const result = verifyProfile(key, submitted({ [field]: value }), now);

    expect(result).toEqual({ ok: false, field: `profile.${field}`, reason: 'tampered', message: expect.stringContaining(`profile.${field} differs`) });
  });

  it('should refuse a token whose payload was edited to match an edited profile', () => {
    const token = withChangedPayload(signProfile(key, building, expiresAt), (payload) => {
      payload.lat = 47.5;
    });

    expect(verifyProfile(key, submitted({ lat: 47.5 }, token), now)).toMatchObject({ ok: false, field: 'profile.profile_token', reason: 'tampered' });
  });

  it('should refuse a token signed with another key', () => {
    const token = signProfile(otherKey, building, expiresAt);

    expect(verifyProfile(key, submitted({}, token), now)).toMatchObject({ ok: false, field: 'profile.profile_token', reason: 'tampered' });
  });

  it('should refuse an expired token and ask to check the address again', () => {
    const later = new Date(expiresAt.getTime() + 1);

    const result = verifyProfile(key, submitted(), later);

    expect(result).toEqual({ ok: false, field: 'profile.profile_token', reason: 'expired', message: expect.stringContaining('please check the address again') });
    expect(verifyProfile(key, submitted(), expiresAt)).toMatchObject({ ok: true });
  });

  it.each([undefined, null, ''])('should say the token is missing when it is %p', (token) => {
    expect(verifyProfile(key, submitted({ profile_token: token }), now)).toMatchObject({ ok: false, field: 'profile.profile_token', reason: 'missing' });
  });

  it.each([
    ['a number', 42],
    ['an object', { token: 'x' }],
    ['one part', 'v1'],
    ['an unknown version', `v2.${signProfile(key, building, expiresAt).split('.').slice(1).join('.')}`],
    ['four parts', `${signProfile(key, building, expiresAt)}.extra`],
    ['an empty signature', 'v1.eyJ9.'],
    ['a huge string', `v1.${'a'.repeat(5000)}.b`],
  ])('should call a token that is %s malformed', (_description, token) => {
    expect(verifyProfile(key, submitted({ profile_token: token }), now)).toMatchObject({ ok: false, field: 'profile.profile_token', reason: 'malformed' });
  });

  it('should call a correctly signed token without the profile fields malformed', () => {
    const payload = Buffer.from(JSON.stringify({ building_id: 'x' })).toString('base64url');
    const signature = createHmac('sha256', key).update(`leg-match-profile.v1.${payload}`).digest('base64url');

    expect(verifyProfile(key, submitted({ profile_token: `v1.${payload}.${signature}` }), now)).toMatchObject({ reason: 'malformed' });
  });

  describe('owner corrections', () => {
    it('should state the bounds: consumption ¼–4× the estimate, PV up to the whole roof or 10 kWp', () => {
      expect(correctionBounds({ annual_consumption_kwh: 4500, roof_area_m2: 64 })).toEqual({
        consumption: { min: 1125, max: 18000 },
        pv: { min: 0, max: 16 },
      });
      expect(correctionBounds({ annual_consumption_kwh: 4500, roof_area_m2: 0 }).pv.max).toBe(10);
    });

    it.each([
      ['annual_consumption_kwh', 1125],
      ['annual_consumption_kwh', 18000],
      ['potential_pv_kwp', 0],
      ['potential_pv_kwp', 16],
    ])('should accept %s = %p', (field, value) => {
      expect(verifyProfile(key, submitted({ [field]: value }), now)).toMatchObject({ ok: true, accepted: { [field]: value } });
    });

    it.each([
      ['annual_consumption_kwh', 1124],
      ['annual_consumption_kwh', 18001],
      ['potential_pv_kwp', -0.1],
      ['potential_pv_kwp', 16.1],
    ])('should refuse %s = %p as out of bounds, naming the field and the range', (field, value) => {
      const result = verifyProfile(key, submitted({ [field]: value }), now);

      expect(result).toMatchObject({ ok: false, field: `profile.${field}`, reason: 'out-of-bounds' });
      expect(result.ok || result.message).toMatch(/must be between \d+ and \d+/);
    });

    it('should call a figure that is not a number malformed', () => {
      expect(verifyProfile(key, submitted({ potential_pv_kwp: '9' }), now)).toMatchObject({
        ok: false,
        field: 'profile.potential_pv_kwp',
        reason: 'malformed',
      });
    });
  });
});

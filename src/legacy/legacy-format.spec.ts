import { coerceNumber, legacyProfile, parseLegacyRecord, splitTokenKey, toDate, toLegacyRecord } from './legacy-format';

describe(coerceNumber.name, () => {
  it.each([
    ['5408', 5408],
    [' 47.48 ', 47.48],
    ['1e3', 1000],
    [12, 12],
  ])('should read %p as %p', (given, expected) => {
    expect(coerceNumber(given)).toBe(expected);
  });

  it.each(['', '0x1A', 'Infinity', 'CH-5408', null])('should leave %p for validation to judge', (given) => {
    expect(coerceNumber(given)).toBe(given);
  });
});

describe(toDate.name, () => {
  it('should read epoch seconds as floats, strings and ISO dates', () => {
    expect(toDate(1762080833.9647367)).toEqual(new Date(1762080833965));
    expect(toDate('1762000000.5')).toEqual(new Date(1762000000500));
    expect(toDate('2025-11-02T10:53:53.965Z')).toEqual(new Date(1762080833965));
  });

  it.each([undefined, null, 'yesterday', {}])('should give null for %p', (given) => {
    expect(toDate(given)).toBeNull();
  });
});

describe(legacyProfile.name, () => {
  it('should take the id from the key, read numbers from strings and drop unknown keys that are not plain values', () => {
    expect(legacyProfile('b1', { lat: '47.1', lon: 8.2, plz: '5400', roof: 12, meta: { a: 1 }, 'bad key': 1, annual_consumption_kwh: null })).toEqual({
      building_id: 'b1',
      lat: 47.1,
      lon: 8.2,
      plz: 5400,
      roof: 12,
    });
  });
});

describe(parseLegacyRecord.name, () => {
  const record = {
    profile: { building_id: 'b1', lat: 47.47, lon: 8.3, plz: 5400, annual_consumption_kwh: 5000, potential_pv_kwp: 6 },
    email: 'Anna@Example.CH',
    phone: '079 123 45 67',
    verified: true,
    registered_at: 1762000000,
    unknown_field: { anything: true },
  };

  it('should validate and normalise like a registration', async () => {
    const parsed = await parseLegacyRecord('b1', record);
    expect(parsed).toEqual({
      ok: true,
      record: expect.objectContaining({
        buildingId: 'b1',
        email: 'Anna@example.ch',
        phone: '+41791234567',
        verified: true,
        verifiedAt: new Date(1762000000000),
        registeredAt: new Date(1762000000000),
      }),
    });
  });

  it.each([
    ['not an object', 'x', 'not an object'],
    ['no profile', { email: 'a@example.ch' }, 'profile'],
    ['an invalid e-mail', { ...record, email: 'nope' }, 'email'],
    ['a foreign phone', { ...record, phone: '+49 171 1234567' }, 'phone'],
    ['a profile id differing from its key', { ...record, profile: { ...record.profile, building_id: 'other' } }, 'differs'],
  ])('should reject %s with a reason', async (_case, value, reason) => {
    const parsed = await parseLegacyRecord('b1', value);
    expect(parsed).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('should not take verified_at for an unconfirmed record', async () => {
    const parsed = await parseLegacyRecord('b1', { ...record, verified: false, verified_at: 1762000001 });
    expect(parsed.ok && parsed.record.verifiedAt).toBeNull();
  });
});

describe(splitTokenKey.name, () => {
  it('should split the token store keys', () => {
    expect(splitTokenKey('verification_6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e01')).toEqual({ kind: 'verification', token: '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e01' });
    expect(splitTokenKey('unsubscribe_x')).toEqual({ kind: 'unsubscribe', token: 'x' });
    expect(splitTokenKey('other_x')).toBeNull();
  });
});

describe(toLegacyRecord.name, () => {
  it('should write epoch seconds and leave out what is absent', () => {
    expect(
      toLegacyRecord({ buildingId: 'b1', email: 'a@example.ch', phone: null, profile: { building_id: 'b1' }, verified: false, verifiedAt: null, registeredAt: new Date(1762000000500) }),
    ).toEqual({ profile: { building_id: 'b1' }, email: 'a@example.ch', verified: false, registered_at: 1762000000.5 });
  });
});

import { DataSource } from 'typeorm';
import { databaseChecksum, tablesContaining } from './helpers/database-state';
import { registrationBody, signedProfile, uniqueBuildingId } from './helpers/factories';
import { latestMail, linkToken, readOutbox } from './helpers/outbox';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

type Row = Record<string, unknown>;

describe('Registration, confirmation and unsubscribe (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(testEnv(database, { ADMIN_API_KEY: 'admin-key-0123456789abcdef', MAIL_WORKER_ENABLED: 'false' }));
    dataSource = sut.dataSource;
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  const rows = (sql: string, params: unknown[] = []) => dataSource.query<Row[]>(sql, params);
  const recordsOf = async (buildingId: string) => ({
    buildings: await rows('SELECT * FROM buildings WHERE building_id = $1', [buildingId]),
    pool: await rows('SELECT * FROM interest_pool WHERE building_id = $1', [buildingId]),
  });
  const validTokens = (buildingId: string) =>
    rows(
      "SELECT * FROM tokens WHERE building_id = $1 AND kind = 'verification' AND used_at IS NULL AND expires_at > now()",
      [buildingId],
    );

  describe('registering', () => {
    it('should store an anonymous registration with tokens and a queued confirmation e-mail', async () => {
      const body = registrationBody();
      const id = body.profile.building_id;
      const response = await sut.http().post('/api/interest-pool').send(body).expect(201);

      expect(response.body).toEqual({ building_id: id, type: 'anonymous', verified: false, verification_email_sent: true });
      expect(JSON.stringify(response.body)).not.toContain('@');
      const { buildings, pool } = await recordsOf(id);
      expect(buildings).toHaveLength(0);
      expect(pool).toHaveLength(1);
      expect(pool[0]).toMatchObject({ email: body.email, phone: '+41791234567', lat: 47.4731, verified: false, plz: 5400 });
      expect(pool[0].profile).toMatchObject({ building_id: id, municipality: 'Baden', source: 'offline-demo' });
      expect(pool[0].profile).not.toHaveProperty('profile_token');
      expect(await validTokens(id)).toHaveLength(1);
      const mail = await latestMail(dataSource, id);
      expect(mail).toMatchObject({ to: body.email, subject: 'Bitte bestätigen Sie Ihre Teilnahme', status: expect.any(String) });
      expect(mail.text).toContain(`http://localhost:3000/confirm/${linkToken(mail, 'confirm')}`);
      expect(mail.text).toContain('/unsubscribe/');
    });

    it('should normalise e-mail and phone', async () => {
      const body = registrationBody({ email: '  Anna.Muster@EXAMPLE.CH ', phone: '079/123.45-67' });
      await sut.http().post('/api/buildings').send(body).expect(201);
      const { buildings } = await recordsOf(body.profile.building_id);
      expect(buildings[0]).toMatchObject({ email: 'Anna.Muster@example.ch', phone: '+41791234567' });
    });

    it.each([null, '', undefined])('should accept a missing phone (%p)', async (phone) => {
      const body = registrationBody({ phone });
      await sut.http().post('/api/buildings').send(body).expect(201);
      expect((await recordsOf(body.profile.building_id)).buildings[0].phone).toBeNull();
    });

    describe('with the profile of the address check', () => {
      it.each([
        ['a hand-made profile (no signature)', (profile: Record<string, unknown>) => ({ ...profile, profile_token: undefined }), 'profile.profile_token'],
        ['a moved position', (profile: Record<string, unknown>) => ({ ...profile, lat: 47.5 }), 'profile.lat'],
        ['another building id', (profile: Record<string, unknown>) => ({ ...profile, building_id: 'someone-else' }), 'profile.building_id'],
        ['another address', (profile: Record<string, unknown>) => ({ ...profile, address: 'Anderswo 1, 5400 Baden' }), 'profile.address'],
        ['a forged signature', (profile: Record<string, unknown>) => ({ ...profile, profile_token: `${String(profile.profile_token).slice(0, -4)}AAAA` }), 'profile.profile_token'],
        ['a consumption beyond four times the estimate', (profile: Record<string, unknown>) => ({ ...profile, annual_consumption_kwh: 48_001 }), 'profile.annual_consumption_kwh'],
      ])('should refuse %s with a 400 naming the field and store nothing', async (_case, change, field) => {
        const body = registrationBody();
        const response = await sut.http().post('/api/buildings').send({ ...body, profile: change(body.profile) }).expect(400);
        expect(response.body.message).toContain(field);
        expect(await recordsOf(body.profile.building_id)).toEqual({ buildings: [], pool: [] });
      });

      it('should ask to check the address again when the profile has expired', async () => {
        const body = registrationBody();
        const expired = { ...body, profile: signedProfile({ buildingId: body.profile.building_id, lat: 47.4731, lon: 8.3066, validForMs: -1000 }) };
        const response = await sut.http().post('/api/buildings').send(expired).expect(400);
        expect(response.body.message).toMatch(/expired.*check the address again/);
      });

      it('should take the position and address from the signature and accept the owner\'s own figures within bounds', async () => {
        const body = registrationBody();
        const { lat: _lat, lon: _lon, address: _address, ...rest } = body.profile;
        await sut.http().post('/api/buildings').send({ ...body, profile: { ...rest, annual_consumption_kwh: 20_000, potential_pv_kwp: 0 } }).expect(201);
        const [stored] = (await recordsOf(body.profile.building_id)).buildings;
        expect(stored).toMatchObject({ lat: 47.4731, lon: 8.3066, address: 'Badstrasse 12, 5400 Baden', annual_consumption_kwh: 20_000, potential_pv_kwp: 0 });
      });
    });

    const invalid: [string, (body: ReturnType<typeof registrationBody>) => unknown, string][] = [
      ['missing email', ({ email: _email, ...rest }) => rest, 'email'],
      ['invalid email', (body) => ({ ...body, email: 'not-an-address' }), 'email'],
      ['too long email', (body) => ({ ...body, email: `${'a'.repeat(310)}@example.ch` }), 'email'],
      ['foreign phone', (body) => ({ ...body, phone: '+49 171 1234567' }), 'phone'],
      ['short phone', (body) => ({ ...body, phone: '079 123 45' }), 'phone'],
      ['bad building id', (body) => ({ ...body, profile: { ...body.profile, building_id: 'a b/c' } }), 'building_id'],
      ['long building id', (body) => ({ ...body, profile: { ...body.profile, building_id: 'x'.repeat(101) } }), 'building_id'],
      ['lat out of range', (body) => ({ ...body, profile: { ...body.profile, lat: 52.5 } }), 'lat'],
      ['lon out of range', (body) => ({ ...body, profile: { ...body.profile, lon: 4.99 } }), 'lon'],
      ['lat as string', (body) => ({ ...body, profile: { ...body.profile, lat: '47.4' } }), 'lat'],
      ['negative consumption', (body) => ({ ...body, profile: { ...body.profile, annual_consumption_kwh: -1 } }), 'annual_consumption_kwh'],
      ['absurd pv', (body) => ({ ...body, profile: { ...body.profile, potential_pv_kwp: 1e9 } }), 'potential_pv_kwp'],
      ['long address', (body) => ({ ...body, profile: { ...body.profile, address: 'a'.repeat(201) } }), 'address'],
      ['bad plz', (body) => ({ ...body, profile: { ...body.profile, plz: 123 } }), 'plz'],
      ['missing profile', ({ profile: _profile, ...rest }) => rest, 'profile'],
      ['profile not an object', (body) => ({ ...body, profile: 'x' }), 'profile'],
      ['unknown top-level field', (body) => ({ ...body, admin: true }), 'admin'],
      ['unknown profile field', (body) => ({ ...body, profile: { ...body.profile, nested: { a: 1 } } }), 'nested'],
    ];

    it.each(invalid)('should reject %s with a 400 naming the field and store nothing', async (_case, change, field) => {
      await settle(sut, { deliverMail: false });
      const before = await databaseChecksum(dataSource);
      const response = await sut.http().post('/api/buildings').send(change(registrationBody()) as object).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining(field) });
      expect(await databaseChecksum(dataSource)).toEqual(before);
    });

    it('should replace an unconfirmed registration when the same building registers again, killing its links', async () => {
      const first = registrationBody();
      const id = first.profile.building_id;
      await sut.http().post('/api/buildings').send(first).expect(201);
      const firstToken = linkToken(await latestMail(dataSource, id), 'confirm');

      const second = registrationBody({ buildingId: id, email: 'new.owner@example.ch', phone: null });
      await sut.http().post('/api/buildings').send(second).expect(201);

      const { buildings } = await recordsOf(id);
      expect(buildings).toHaveLength(1);
      expect(buildings[0]).toMatchObject({ email: 'new.owner@example.ch', phone: null, verified: false, verified_at: null });
      expect(await validTokens(id)).toHaveLength(1);
      await sut.http().post('/api/verification/confirm').send({ token: firstToken }).expect(404);
    });

    it('should leave a confirmed registration untouched when someone else registers its building', async () => {
      const holder = registrationBody();
      const id = holder.profile.building_id;
      await sut.http().post('/api/buildings').send(holder).expect(201);
      await sut.http().post('/api/verification/confirm').send({ token: linkToken(await latestMail(dataSource, id), 'confirm') }).expect(200);
      const before = await recordsOf(id);
      const allTokens = () => rows('SELECT * FROM tokens WHERE building_id = $1 ORDER BY token_hash', [id]);
      const tokensBefore = await allTokens();

      const claimant = registrationBody({ buildingId: id, email: 'claimant@example.ch', phone: null });
      const response = await sut.http().post('/api/buildings').send(claimant).expect(201);

      expect(await recordsOf(id)).toEqual(before);
      expect(await allTokens()).toEqual(tokensBefore);
      const claimMail = (await readOutbox(dataSource)).filter((mail) => mail.to === 'claimant@example.ch').at(-1)!;
      // The claimant is answered and mailed exactly like any registrant: the answer does not tell that the building is held.
      expect(claimMail).toMatchObject({ kind: 'verification', buildingId: null });
      expect(Object.keys(response.body).sort()).toEqual(Object.keys((await sut.http().post('/api/buildings').send(registrationBody()).expect(201)).body).sort());
    });

    it('should move a building from the interest pool to the full registrations', async () => {
      const body = registrationBody();
      const id = body.profile.building_id;
      await sut.http().post('/api/interest-pool').send(body).expect(201);
      const oldToken = linkToken(await latestMail(dataSource, id), 'confirm');
      await sut.http().post('/api/buildings').send(body).expect(201);

      const { buildings, pool } = await recordsOf(id);
      expect(pool).toHaveLength(0);
      expect(buildings).toHaveLength(1);
      await sut.http().post('/api/verification/confirm').send({ token: oldToken }).expect(404);
    });

    it('should leave exactly one record and one valid token after 50 concurrent registrations of one building', async () => {
      const id = uniqueBuildingId('race');
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          sut.http().post(i % 2 ? '/api/buildings' : '/api/interest-pool').send(registrationBody({ buildingId: id, email: `owner${i}@example.ch` })),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
      const { buildings, pool } = await recordsOf(id);
      expect(buildings.length + pool.length).toBe(1);
      expect(await validTokens(id)).toHaveLength(1);
      // Each registration replaced the unconfirmed one before it, and took its unsent mail with it.
      const record = [...buildings, ...pool][0] as { email: string };
      const verificationMails = (await readOutbox(dataSource)).filter((mail) => mail.buildingId === id && mail.kind === 'verification');
      expect(verificationMails.map((mail) => mail.to)).toEqual([record.email]);
    });
  });

  describe('confirming', () => {
    async function registered(): Promise<{ id: string; token: string; unsubscribe: string }> {
      const body = registrationBody();
      await sut.http().post('/api/buildings').send(body).expect(201);
      const mail = await latestMail(dataSource, body.profile.building_id);
      return { id: body.profile.building_id, token: linkToken(mail, 'confirm'), unsubscribe: linkToken(mail, 'unsubscribe') };
    }

    it('should show a page with a button on GET without confirming', async () => {
      const { id, token } = await registered();
      const page = await sut.http().get(`/confirm/${token}`).expect(200).expect('Content-Type', /text\/html/);
      expect(page.text).toContain(`action="/confirm/${token}"`);
      expect(page.text).toContain('Kontaktdaten');
      expect((await recordsOf(id)).buildings[0].verified).toBe(false);
    });

    it('should confirm on POST of the page and say so on a second click', async () => {
      const { id, token } = await registered();
      const first = await sut.http().post(`/confirm/${token}`).expect(200);
      expect(first.text).toContain('Vielen Dank');
      const { buildings } = await recordsOf(id);
      expect(buildings[0]).toMatchObject({ verified: true, verified_at: expect.any(Date) });
      const second = await sut.http().post(`/confirm/${token}`).expect(200);
      expect(second.text).toContain('Bereits bestätigt');
    });

    it('should confirm through the JSON API and report a repeated confirmation', async () => {
      const { id, token } = await registered();
      await sut
        .http()
        .post('/api/verification/confirm')
        .send({ token })
        .expect(200, { building_id: id, verified: true, already_verified: false });
      await sut
        .http()
        .post('/api/verification/confirm')
        .send({ token })
        .expect(200, { building_id: id, verified: true, already_verified: true });
      const [used] = await rows("SELECT used_at FROM tokens WHERE building_id = $1 AND kind = 'verification'", [id]);
      expect(used.used_at).toBeInstanceOf(Date);
    });

    it('should answer 400 for a malformed token, 404 for an unknown one, without naming a building', async () => {
      const malformed = await sut.http().post('/api/verification/confirm').send({ token: "x' OR 1=1 --" }).expect(400);
      expect(malformed.body.message).toBe('token is malformed');
      const unknown = await sut.http().post('/api/verification/confirm').send({ token: 'A'.repeat(43) }).expect(404);
      expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
      await sut.http().post('/api/verification/confirm').send({ token: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' }).expect(404);
      const page = await sut.http().get('/confirm/not-a-token').expect(400).expect('Content-Type', /text\/html/);
      expect(page.text).toContain('ungültig');
    });

    it('should answer 410 for an expired token', async () => {
      const { id, token } = await registered();
      await dataSource.query("UPDATE tokens SET expires_at = now() - interval '1 second' WHERE building_id = $1 AND kind = 'verification'", [id]);
      await sut.http().post('/api/verification/confirm').send({ token }).expect(410);
      await sut.http().post(`/confirm/${token}`).expect(410);
      expect((await recordsOf(id)).buildings[0].verified).toBe(false);
    });

    it('should confirm once under concurrent confirmations of one token', async () => {
      const { id, token } = await registered();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => sut.http().post('/api/verification/confirm').send({ token })),
      );
      expect(results.map((result) => result.status)).toEqual(Array(20).fill(200));
      expect(results.filter((result) => result.body.already_verified === false)).toHaveLength(1);
      expect((await recordsOf(id)).buildings[0].verified).toBe(true);
    });
  });

  describe('unsubscribing', () => {
    it('should delete the building and every trace of its e-mail and phone', async () => {
      const email = `erase.${uniqueBuildingId('me')}@example.ch`;
      const body = registrationBody({ email, phone: '+41 78 765 43 21' });
      const id = body.profile.building_id;
      await sut.http().post('/api/interest-pool').send(body).expect(201);
      await sut.http().post('/api/buildings').send(body).expect(201);
      const mail = await latestMail(dataSource, id);
      await sut.http().post('/api/verification/confirm').send({ token: linkToken(mail, 'confirm') }).expect(200);

      await sut.http().get(`/unsubscribe/${linkToken(mail, 'unsubscribe')}`).expect(200);
      expect((await recordsOf(id)).buildings).toHaveLength(1);
      await sut.http().post(`/unsubscribe/${linkToken(mail, 'unsubscribe')}`).expect(200);

      expect(await recordsOf(id)).toEqual({ buildings: [], pool: [] });
      expect(await rows('SELECT * FROM tokens WHERE building_id = $1', [id])).toEqual([]);
      expect(await tablesContaining(dataSource, email)).toEqual([]);
      expect(await tablesContaining(dataSource, '+41787654321')).toEqual([]);
      expect(await tablesContaining(dataSource, id)).toEqual([]);
      await sut.http().post('/api/unsubscribe').send({ token: linkToken(mail, 'unsubscribe') }).expect(404);
    });

    it('should delete through the JSON API', async () => {
      const body = registrationBody();
      await sut.http().post('/api/buildings').send(body).expect(201);
      const token = linkToken(await latestMail(dataSource, body.profile.building_id), 'unsubscribe');
      await sut.http().post('/api/unsubscribe').send({ token }).expect(200, { deleted: true });
      expect(await recordsOf(body.profile.building_id)).toEqual({ buildings: [], pool: [] });
    });

    it('should always answer 202 to a link request and mail a link only to registered addresses', async () => {
      const body = registrationBody({ email: `asks.${uniqueBuildingId()}@example.ch` });
      await sut.http().post('/api/buildings').send(body).expect(201);
      const before = (await readOutbox(dataSource)).length;

      const unknown = await sut.http().post('/api/unsubscribe/request').send({ email: 'nobody@example.ch' }).expect(202);
      const known = await sut.http().post('/api/unsubscribe/request').send({ email: body.email }).expect(202);
      expect(known.body).toEqual(unknown.body);
      await sut.http().post('/api/unsubscribe/request').send({ email: body.email }).expect(202);
      await settle(sut, { deliverMail: false });

      // Settling may also queue the contact overviews of communities that earlier tests confirmed: only this test's addresses count.
      const linkMails = (await readOutbox(dataSource))
        .slice(before)
        .filter((mail) => [body.email, 'nobody@example.ch'].includes(mail.to) || mail.buildingId === body.profile.building_id);
      expect(linkMails).toHaveLength(1);
      expect(linkMails[0]).toMatchObject({ kind: 'unsubscribe-link', to: body.email });
      await sut.http().post('/api/unsubscribe').send({ token: linkToken(linkMails[0], 'unsubscribe') }).expect(200);
      expect(await recordsOf(body.profile.building_id)).toEqual({ buildings: [], pool: [] });
    });
  });

  describe('admin API', () => {
    const key = 'admin-key-0123456789abcdef';

    it('should refuse a missing or wrong key', async () => {
      await sut.http().get('/api/admin/stats').expect(401);
      await sut.http().get('/api/admin/stats').set('Authorization', 'Bearer wrong-key-0123456789').expect(401);
      await sut.http().get('/api/admin/stats').set('Authorization', key).expect(401);
    });

    it('should list, filter, read and delete records and count everything', async () => {
      const body = registrationBody({ email: `admin.${uniqueBuildingId()}@example.ch` });
      const id = body.profile.building_id;
      await sut.http().post('/api/interest-pool').send(body).expect(201);
      const auth = { Authorization: `Bearer ${key}` };

      const list = await sut.http().get('/api/admin/interest-pool').query({ email: body.email }).set(auth).expect(200);
      expect(list.body).toMatchObject({ page: 1, limit: 50, total: 1, items: [{ building_id: id, email: body.email, type: 'anonymous' }] });
      const unverified = await sut.http().get('/api/admin/interest-pool').query({ verified: 'true', email: body.email }).set(auth).expect(200);
      expect(unverified.body.total).toBe(0);
      await sut.http().get('/api/admin/buildings').query({ limit: 1000 }).set(auth).expect(400);

      await sut.http().get(`/api/admin/records/${id}`).set(auth).expect(200);
      const stats = await sut.http().get('/api/admin/stats').set(auth).expect(200);
      expect(stats.body.records.interest_pool).toBeGreaterThanOrEqual(1);
      expect(stats.body.tokens.active).toBeGreaterThanOrEqual(2);
      expect(stats.body.outbox).toEqual({ pending: expect.any(Number), failed: expect.any(Number), sent: expect.any(Number) });

      await sut.http().delete(`/api/admin/records/${id}`).set(auth).expect(204);
      await sut.http().get(`/api/admin/records/${id}`).set(auth).expect(404);
      expect(await tablesContaining(dataSource, body.email)).toEqual([]);
    });

    it('should purge expired tokens across several batches and keep the live ones', async () => {
      await dataSource.query(
        `INSERT INTO tokens (token_hash, kind, building_id, created_at, expires_at)
         SELECT encode(sha256(('expired-' || n)::bytea), 'hex'), 'verification', 'purge-batch', now(), now() - (n || ' seconds')::interval
         FROM generate_series(1, 12001) AS n`,
      );
      await dataSource.query(
        `INSERT INTO tokens (token_hash, kind, building_id, created_at, expires_at)
         SELECT encode(sha256(('live-' || n)::bytea), 'hex'), 'verification', 'purge-batch', now(), now() + interval '1 day'
         FROM generate_series(1, 100) AS n`,
      );
      const result = await sut.http().post('/api/admin/tokens/purge').set('Authorization', `Bearer ${key}`).expect(200);
      expect(result.body.removed).toBeGreaterThanOrEqual(12001);
      const [left] = await rows("SELECT count(*)::int AS n FROM tokens WHERE building_id = 'purge-batch'");
      expect(left.n).toBe(100);
    });

    it('should purge expired verification tokens on demand', async () => {
      const body = registrationBody();
      await sut.http().post('/api/buildings').send(body).expect(201);
      await dataSource.query("UPDATE tokens SET expires_at = now() - interval '1 day' WHERE building_id = $1 AND kind = 'verification'", [
        body.profile.building_id,
      ]);
      const result = await sut.http().post('/api/admin/tokens/purge').set('Authorization', `Bearer ${key}`).expect(200);
      expect(result.body).toEqual({ ran: true, removed: expect.any(Number) });
      expect(result.body.removed).toBeGreaterThanOrEqual(1);
      expect(await rows("SELECT * FROM tokens WHERE kind = 'verification' AND expires_at < now()")).toEqual([]);
      expect(await rows("SELECT * FROM tokens WHERE building_id = $1 AND kind = 'unsubscribe'", [body.profile.building_id])).toHaveLength(1);
    });
  });
});

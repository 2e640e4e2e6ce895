import { latestMail, linkToken } from './helpers/outbox';
import { registrationBody } from './helpers/factories';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

type Summary = { building_id: string; address: string; lat: number; lon: number; profile_token: string } & Record<string, unknown>;
type Member = { building_id: string; lat: number; lon: number };
type ClusterInfo = { community_id: string; num_members: number; members: Member[]; autarky_percent: number | null };

const OPAQUE_ID = /^[0-9a-f]{10}$/;
/** Two houses of one street in the demo gazetteer: consecutive numbers stand a few metres apart. */
const FIRST = 'Kronengasse 1, 5400 Baden';
const NEXT = 'Kronengasse 3, 5400 Baden';

/** The previous version's map page against this service: type → suggest → check → register → confirm → map reload. */
describe('Compatibility routes of the previous version (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let first: Summary;
  let next: Summary;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(testEnv(database, { MAIL_WORKER_ENABLED: 'false' }));
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  /** Confirms, and waits for the recomputation that puts the building on the map. */
  async function confirm(buildingId: string): Promise<void> {
    const mail = await latestMail(sut.dataSource, buildingId);
    await sut.http().post('/api/verification/confirm').send({ token: linkToken(mail, 'confirm') }).expect(200);
    await settle(sut, { deliverMail: false });
  }

  it('should suggest addresses while the page types, in its shape', async () => {
    const response = await sut.http().get('/api/suggest_addresses').query({ q: 'Kronengasse' }).expect(200);
    expect(response.body.suggestions).toContainEqual({ label: FIRST, lat: expect.any(Number), lon: expect.any(Number), plz: 5400 });
    for (const suggestion of response.body.suggestions as object[]) expect(Object.keys(suggestion).sort()).toEqual(['label', 'lat', 'lon', 'plz']);
  });

  it('should answer a check without neighbours the old way, with a signed profile', async () => {
    const response = await sut.http().post('/api/check_potential').send({ address: FIRST }).expect(200);
    expect(response.body).toEqual({
      potential: false,
      message: 'Keine direkten Partner gefunden.',
      profile_summary: expect.objectContaining({
        building_id: 'demo-baden-kronengasse-1',
        address: FIRST,
        plz: 5400,
        lat: expect.any(Number),
        lon: expect.any(Number),
        building_type: expect.any(String),
        annual_consumption_kwh: expect.any(Number),
        potential_pv_kwp: expect.any(Number),
        demo: true,
        profile_token: expect.any(String),
      }),
    });
    first = response.body.profile_summary as Summary;
  });

  it('should register the first house anonymously with the profile the page sends back', async () => {
    const response = await sut.http().post('/api/register_anonymous').send({ email: 'first.owner@example.ch', phone: null, profile: first }).expect(200);
    expect(response.body).toEqual({ buildings: [], match_found: false, verification_email_sent: true });
    await confirm(first.building_id);
  });

  it('should tell the next house number on the street that it has a partner, the others blurred and opaque', async () => {
    const response = await sut.http().post('/api/check_potential').send({ address: NEXT }).expect(200);
    next = response.body.profile_summary as Summary;
    expect(response.body).toMatchObject({ potential: true, message: 'Partner gefunden! Wir haben passende Nachbarn identifiziert.' });
    const info = response.body.cluster_info as ClusterInfo;
    expect(info).toEqual({ community_id: 'provisional', num_members: 2, members: expect.any(Array), autarky_percent: null });
    expect(info.members[0]).toEqual({ building_id: next.building_id, lat: next.lat, lon: next.lon });
    expect(info.members[1].building_id).toMatch(OPAQUE_ID);
    expect([info.members[1].lat, info.members[1].lon]).not.toEqual([first.lat, first.lon]);
    expect(JSON.stringify(response.body)).not.toContain(first.building_id);
  });

  it('should register the next house fully, answering with the map of everybody else', async () => {
    const response = await sut.http().post('/api/register_full').send({ email: 'page.user@example.ch', phone: null, profile: next }).expect(200);
    expect(response.body).toEqual({
      buildings: [{ lat: expect.any(Number), lon: expect.any(Number), type: 'anonymous' }],
      match_found: true,
      verification_email_sent: true,
      cluster_info: expect.objectContaining({ community_id: 'provisional', num_members: 2 }),
    });
    expect(JSON.stringify(response.body)).not.toContain(first.building_id);
    expect((await latestMail(sut.dataSource, next.building_id)).to).toBe('page.user@example.ch');
    await confirm(next.building_id);
  });

  it('should serve the map reload: confirmed buildings and their community, blurred, without real ids', async () => {
    await settle(sut, { deliverMail: false });
    const buildings = await sut.http().get('/api/get_all_buildings').expect(200);
    expect(buildings.body.buildings).toHaveLength(2);
    for (const building of buildings.body.buildings as object[]) {
      expect(building).toEqual({ lat: expect.any(Number), lon: expect.any(Number), type: expect.stringMatching(/^(registered|anonymous)$/) });
    }
    const clusters = await sut.http().get('/api/get_all_clusters').expect(200);
    expect(clusters.body.clusters).toEqual([
      {
        cluster_id: expect.any(String),
        members: [expect.objectContaining({ building_id: expect.stringMatching(OPAQUE_ID) }), expect.objectContaining({ building_id: expect.stringMatching(OPAQUE_ID) })],
        polygon: expect.any(Array),
        autarky_percent: null,
        num_members: 2,
      },
    ]);
    expect(JSON.stringify(clusters.body)).not.toContain(first.building_id);
    expect(JSON.stringify(clusters.body)).not.toContain(next.building_id);
  });

  describe('errors in the old shape', () => {
    it('should answer invalid input with 400 and a German message', async () => {
      const response = await sut.http().post('/api/check_potential').send({ address: '<script>' }).expect(400);
      expect(response.body).toEqual({ error: expect.stringMatching(/^Ungültige Eingabe/) });
      const register = await sut.http().post('/api/register_full').send({ email: 'nope', phone: null, profile: next }).expect(400);
      expect(register.body).toEqual({ error: expect.stringContaining('email') });
    });

    it('should refuse a profile whose position was changed, naming the field', async () => {
      const moved = { ...next, lat: next.lat + 0.01 };
      const response = await sut.http().post('/api/register_full').send({ email: 'mover@example.ch', phone: null, profile: moved }).expect(400);
      expect(response.body).toEqual({ error: expect.stringContaining('profile.lat') });
    });

    it('should answer an address the directory does not know with 404 and a German message', async () => {
      const response = await sut.http().post('/api/check_potential').send({ address: 'Nirgendwoweg 99, 5400 Baden' }).expect(404);
      expect(response.body).toEqual({ error: expect.stringMatching(/^Adresse nicht gefunden/) });
    });

    it('should answer malformed JSON with 400 and a too large body with 413, in the old shape', async () => {
      const malformed = await sut.http().post('/api/register_full').set('Content-Type', 'application/json').send('{"email": ').expect(400);
      expect(malformed.body).toEqual({ error: expect.stringMatching(/^Ungültige Eingabe/) });
      const large = await sut.http().post('/api/check_potential').send({ address: 'x'.repeat(1_100_000) }).expect(413);
      expect(large.body).toEqual({ error: 'Die Anfrage ist zu gross.' });
    });

    it('should keep the new shape on the new routes', async () => {
      const response = await sut.http().post('/api/potential').send({ address: '<script>' }).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });
  });

  describe('the unsubscribe form', () => {
    it('should show a form asking for the e-mail address', async () => {
      const response = await sut.http().get('/unsubscribe').expect(200).expect('Content-Type', /html/);
      expect(response.text).toContain('<form method="post" action="/unsubscribe">');
      expect(response.text).toContain('name="email"');
    });

    it('should mail a link when the form is sent, answering with a page', async () => {
      const response = await sut.http().post('/unsubscribe').type('form').send({ email: 'page.user@example.ch' }).expect(200).expect('Content-Type', /html/);
      expect(response.text).toContain('Link zum Abmelden');
      await settle(sut, { deliverMail: false });
      expect((await latestMail(sut.dataSource, next.building_id, 'unsubscribe-link')).to).toBe('page.user@example.ch');
    });

    it('should answer the same page for an unknown address, and 400 with the form for an invalid one', async () => {
      await sut.http().post('/unsubscribe').type('form').send({ email: 'nobody@example.ch' }).expect(200);
      const invalid = await sut.http().post('/unsubscribe').type('form').send({ email: 'nope' }).expect(400);
      expect(invalid.text).toContain('gültige E-Mail-Adresse');
    });
  });

  it('should mark the old routes deprecated in the API description', async () => {
    const document = await sut.http().get('/docs-json').expect(200);
    const paths = document.body.paths as Record<string, Record<string, { deprecated?: boolean; description?: string }>>;
    expect(paths['/api/check_potential'].post).toMatchObject({ deprecated: true, description: expect.stringContaining('/api/potential') });
    expect(paths['/api/suggest_addresses'].get).toMatchObject({ deprecated: true, description: expect.stringContaining('/api/addresses') });
    expect(paths['/api/register_full'].post.deprecated).toBe(true);
    expect(paths['/api/get_all_clusters'].get.deprecated).toBe(true);
    expect(paths['/unsubscribe'].post.deprecated).toBe(true);
  });

  it('should register with a profile signed by the test factory the same way (the geometry tests rely on it)', async () => {
    const body = registrationBody({ lat: 47.39, lon: 8.05 });
    const response = await sut.http().post('/api/register_anonymous').send(body).expect(200);
    expect(response.body).toEqual({ buildings: expect.any(Array), match_found: false, verification_email_sent: true });
  });

  it('should answer too many requests with 429 in the old shape', async () => {
    const limited = await createTestDatabase();
    const app = await startTestApp(testEnv(limited, { MAIL_WORKER_ENABLED: 'false', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOOKUP: '10/1m' }));
    try {
      for (let i = 0; i < 10; i++) await app.http().post('/api/check_potential').send({ address: FIRST }).expect(200);
      const response = await app.http().post('/api/check_potential').send({ address: FIRST }).expect(429);
      expect(response.body).toEqual({ error: expect.stringMatching(/^Zu viele Anfragen/) });
    } finally {
      await app.close();
      await limited.drop();
    }
  });
});

import { EstimatedProfile } from '../src/communities/public/address-estimator';
import { latestMail } from './helpers/outbox';
import { registrationBody, uniqueBuildingId } from './helpers/factories';
import { settle, startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

/** What the old page reads from profile_summary is exactly the estimated profile. */
type Summary = EstimatedProfile;
type Member = { building_id: string; lat: number; lon: number };
type ClusterInfo = { community_id: string; num_members: number; members: Member[]; autarky_percent: number };

const OPAQUE_ID = /^[0-9a-f]{10}$/;

/** The previous version's map page against this service: check → register → map reload. */
describe('Compatibility routes of the previous version (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;
  const address = `Kirchweg ${Math.floor(Math.random() * 900) + 100}, 5400 Baden`;
  let summary: Summary;
  const neighbourId = uniqueBuildingId('legacy-neighbour');

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(testEnv(database, { MAIL_WORKER_ENABLED: 'false' }));
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('should answer a check without neighbours the old way', async () => {
    const response = await sut.http().post('/api/check_potential').send({ address }).expect(200);
    expect(response.body).toEqual({
      potential: false,
      message: 'Keine direkten Partner gefunden.',
      profile_summary: {
        building_id: expect.any(String),
        address: expect.any(String),
        plz: 5400,
        lat: expect.any(Number),
        lon: expect.any(Number),
        building_type: expect.any(String),
        annual_consumption_kwh: expect.any(Number),
        potential_pv_kwp: expect.any(Number),
      },
    });
    summary = response.body.profile_summary as Summary;
  });

  it('should answer a check with a neighbour with the provisional group, others jittered and opaque', async () => {
    const neighbour = registrationBody({ buildingId: neighbourId, lat: summary.lat + 0.0003, lon: summary.lon });
    await sut.http().post('/api/buildings').send(neighbour).expect(201);

    const response = await sut.http().post('/api/check_potential').send({ address }).expect(200);
    expect(response.body).toMatchObject({ potential: true, message: 'Partner gefunden! Wir haben passende Nachbarn identifiziert.', profile_summary: summary });
    const info = response.body.cluster_info as ClusterInfo;
    expect(info).toEqual({ community_id: 'provisional', num_members: 2, members: expect.any(Array), autarky_percent: expect.any(Number) });
    expect(info.members[0]).toEqual({ building_id: summary.building_id, lat: summary.lat, lon: summary.lon });
    const other = info.members[1];
    expect(other.building_id).toMatch(OPAQUE_ID);
    expect(other.building_id).not.toBe(neighbourId);
    expect([other.lat, other.lon]).not.toEqual([neighbour.profile.lat, neighbour.profile.lon]);
    expect(JSON.stringify(response.body)).not.toContain(neighbourId);
  });

  it('should register fully with what the page sends back, answering with the map of everybody else', async () => {
    const response = await sut.http().post('/api/register_full').send({ email: 'page.user@example.ch', phone: null, profile: summary }).expect(200);
    expect(response.body).toEqual({
      buildings: [{ lat: expect.any(Number), lon: expect.any(Number), type: 'registered' }],
      match_found: true,
      verification_email_sent: true,
      cluster_info: expect.objectContaining({ community_id: 'provisional', num_members: 2 }),
    });
    expect(JSON.stringify(response.body)).not.toContain(neighbourId);
    expect((await latestMail(sut.dataSource, summary.building_id)).to).toBe('page.user@example.ch');
  });

  it('should register anonymously the old way', async () => {
    const body = registrationBody({ lat: 47.39, lon: 8.05 });
    const response = await sut.http().post('/api/register_anonymous').send(body).expect(200);
    expect(response.body).toEqual({ buildings: expect.any(Array), match_found: false, verification_email_sent: true });
    expect(response.body.buildings).toHaveLength(2);
  });

  it('should serve the map reload: all buildings and all clusters, jittered, without real ids', async () => {
    await settle(sut, { deliverMail: false });
    const buildings = await sut.http().get('/api/get_all_buildings').expect(200);
    expect(buildings.body.buildings).toHaveLength(3);
    for (const building of buildings.body.buildings as object[]) {
      expect(building).toEqual({ lat: expect.any(Number), lon: expect.any(Number), type: expect.stringMatching(/^(registered|anonymous)$/) });
    }
    const clusters = await sut.http().get('/api/get_all_clusters').expect(200);
    expect(clusters.body.clusters).toEqual([
      {
        cluster_id: expect.any(String),
        members: [expect.objectContaining({ building_id: expect.stringMatching(OPAQUE_ID) }), expect.objectContaining({ building_id: expect.stringMatching(OPAQUE_ID) })],
        polygon: expect.any(Array),
        autarky_percent: expect.any(Number),
        num_members: 2,
      },
    ]);
    expect(JSON.stringify(clusters.body)).not.toContain(neighbourId);
    expect(JSON.stringify(clusters.body)).not.toContain(summary.building_id);
  });

  describe('errors in the old shape', () => {
    it('should answer invalid input with 400 and a German message', async () => {
      const response = await sut.http().post('/api/check_potential').send({ address: '<script>' }).expect(400);
      expect(response.body).toEqual({ error: expect.stringMatching(/^Ungültige Eingabe/) });
      const register = await sut.http().post('/api/register_full').send({ email: 'nope', phone: null, profile: summary }).expect(400);
      expect(register.body).toEqual({ error: expect.stringContaining('email') });
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
      expect((await latestMail(sut.dataSource, summary.building_id, 'unsubscribe-link')).to).toBe('page.user@example.ch');
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
    expect(paths['/api/register_full'].post.deprecated).toBe(true);
    expect(paths['/api/get_all_clusters'].get.deprecated).toBe(true);
    expect(paths['/unsubscribe'].post.deprecated).toBe(true);
  });

  it('should answer too many requests with 429 in the old shape', async () => {
    const limited = await createTestDatabase();
    const app = await startTestApp(testEnv(limited, { MAIL_WORKER_ENABLED: 'false', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOOKUP: '10/1m' }));
    try {
      for (let i = 0; i < 10; i++) await app.http().post('/api/check_potential').send({ address }).expect(200);
      const response = await app.http().post('/api/check_potential').send({ address }).expect(429);
      expect(response.body).toEqual({ error: expect.stringMatching(/^Zu viele Anfragen/) });
    } finally {
      await app.close();
      await limited.drop();
    }
  });
});

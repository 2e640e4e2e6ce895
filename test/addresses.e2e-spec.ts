import { DIRECTORY_UNAVAILABLE } from '../src/addresses/geoadmin/geoadmin.client';
import { FakeGeoadmin, startFakeGeoadmin } from './helpers/fake-geoadmin';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

describe('Address suggestions (e2e)', () => {
  describe('with the offline demo gazetteer', () => {
    let database: TestDatabase;
    let sut: TestApp;

    beforeAll(async () => {
      database = await createTestDatabase();
      sut = await startTestApp(testEnv(database, { ADDRESS_DIRECTORY: 'offline', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_AUTOCOMPLETE: '20/1m' }));
    });

    afterAll(async () => {
      await sut?.close();
      await database?.drop();
    });

    const suggest = (q: string) => sut.http().get('/api/addresses').query({ q });

    it('should suggest at most 10 addresses with label, id, postcode and place, marked as demo data', async () => {
      const response = await suggest('badstr 1').expect(200);

      expect(response.body.demo).toBe(true);
      expect(response.body.suggestions).toHaveLength(10);
      expect(response.body.suggestions[0]).toEqual({ label: 'Badstrasse 1, 5400 Baden', building_id: 'demo-baden-badstrasse-1', plz: 5400, municipality: 'Baden' });
      for (const suggestion of response.body.suggestions) expect(Object.keys(suggestion).sort()).toEqual(['building_id', 'label', 'municipality', 'plz']);
    });

    it('should let browsers and proxies keep a successful answer for five minutes', async () => {
      const response = await suggest('Weite Gasse 3').expect(200);

      expect(response.headers['cache-control']).toBe('public, max-age=300');
      expect(response.body.suggestions[0].label).toBe('Weite Gasse 3, 5400 Baden');
    });

    it('should accept umlauts, accents and , . - and answer an empty list when nothing matches', async () => {
      expect((await suggest('Bäderstr. 3, 5400').expect(200)).body.suggestions[0].label).toBe('Bäderstrasse 3, 5400 Baden');
      expect((await suggest('Rue de Genève 1').expect(200)).body).toEqual({ suggestions: [], demo: true });
    });

    it.each([
      ['missing', undefined],
      ['one character', 'B'],
      ['blank', '   '],
      ['101 characters', 'a'.repeat(101)],
      ['markup', '<b>Badstrasse</b>'],
      ['other punctuation', 'Badstrasse; 12'],
    ])('should answer 400 in the usual shape when q is %s', async (_case, q) => {
      const response = await sut
        .http()
        .get('/api/addresses')
        .query(q === undefined ? {} : { q })
        .expect(400);

      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('q must be') });
      expect(response.headers['cache-control']).not.toBe('public, max-age=300');
    });

    it('should answer 400 when q is given twice or with unknown parameters', async () => {
      await sut.http().get('/api/addresses?q=Badstrasse&q=Weite').expect(400);
      await sut.http().get('/api/addresses?q=Badstrasse&limit=50').expect(400);
    });

    it('should answer 429 once one client has used its autocomplete budget (RATE_LIMIT_AUTOCOMPLETE, 20 a minute here)', async () => {
      const statuses: number[] = [];
      for (let request = 0; request < 30; request++) statuses.push((await suggest('Badstrasse 1')).status);

      const firstRefused = statuses.indexOf(429);
      expect(firstRefused).toBeGreaterThan(0);
      expect(firstRefused).toBeLessThanOrEqual(20);
      expect(statuses.slice(firstRefused).every((status) => status === 429)).toBe(true);
    });
  });

  describe('with geo.admin.ch not answering', () => {
    let database: TestDatabase;
    let sut: TestApp;
    let fake: FakeGeoadmin;

    beforeAll(async () => {
      fake = await startFakeGeoadmin();
      database = await createTestDatabase();
      sut = await startTestApp(
        testEnv(database, { ADDRESS_DIRECTORY: 'geoadmin', GEOADMIN_API_URL: fake.url, GEOADMIN_TIMEOUT_MS: '200' }),
      );
    });

    afterAll(async () => {
      await sut?.close();
      await fake?.close();
      await database?.drop();
    });

    it('should suggest real addresses while it answers', async () => {
      const response = await sut.http().get('/api/addresses').query({ q: 'Badstrasse 1' }).expect(200);

      expect(response.body).toEqual({
        suggestions: [
          { label: 'Badstrasse 12, 5400 Baden', building_id: '190365', plz: 5400, municipality: 'Baden' },
          { label: 'Badstrasse 14, 5400 Baden', building_id: '190366', plz: 5400, municipality: 'Baden' },
        ],
        demo: false,
      });
    });

    it('should answer 503 with the usual shape once it stops answering', async () => {
      fake.setMode({ kind: 'hang' });

      const response = await sut.http().get('/api/addresses').query({ q: 'Weite Gasse 3' }).expect(503);

      expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: DIRECTORY_UNAVAILABLE });
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['cache-control']).not.toBe('public, max-age=300');
    });
  });
});

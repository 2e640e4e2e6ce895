import { randomBytes } from 'node:crypto';
import { registrationBody } from './helpers/factories';
import { readOutbox } from './helpers/outbox';
import { startTcpProxy, TcpProxy } from './helpers/tcp-proxy';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, DatabaseMode, defaultMode, testEnv, TestDatabase } from './helpers/test-database';

/** The machine's Redis (README: the tests that need one use it). */
const REDIS = { host: '127.0.0.1', port: 6379 };
const REGISTRATION_ROUTES = ['/api/interest-pool', '/api/buildings', '/api/register_anonymous', '/api/register_full'];
const LOOKUP = { address: 'Badstrasse 12, 5400 Baden' };
const MAP_READS = ['/api/map/buildings', '/api/clusters', '/api/get_all_buildings', '/api/get_all_clusters'];

type Started = { sut: TestApp; database: TestDatabase };

/** The whole app with rate limits on, on a database of its own. */
async function startLimited(overrides: Record<string, string>, mode: DatabaseMode = defaultMode()): Promise<Started> {
  const database = await createTestDatabase(mode);
  const sut = await startTestApp(testEnv(database, { RATE_LIMIT_ENABLED: 'true', MAIL_WORKER_ENABLED: 'false', ...overrides }));
  return { sut, database };
}

async function stop(started: Started | undefined): Promise<void> {
  await started?.sut.close();
  await started?.database.drop();
}

const randomIp = (): string => `198.51.100.${Math.floor(Math.random() * 254) + 1}`;
const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('Rate limits (e2e)', () => {
  describe('one registration budget across the four registration routes', () => {
    let started: Started;

    beforeAll(async () => {
      started = await startLimited({ RATE_LIMIT_REGISTRATION: '6/1h' });
    });

    afterAll(() => stop(started));

    it('should stop a client alternating the four routes at the shared limit, in each route’s error shape, with Retry-After', async () => {
      const answers = [];
      for (let i = 0; i < 16; i++) {
        const route = REGISTRATION_ROUTES[i % REGISTRATION_ROUTES.length];
        const response = await started.sut.http().post(route).send(registrationBody());
        answers.push({ route, status: response.status, body: response.body as unknown, retryAfter: response.headers['retry-after'] });
      }

      const accepted = answers.filter((answer) => answer.status === 200 || answer.status === 201);
      const limited = answers.filter((answer) => answer.status === 429);
      expect(accepted).toHaveLength(6);
      expect(answers.slice(0, 6)).toEqual(accepted);
      expect(limited).toHaveLength(10);
      expect(limited.every((answer) => Number(answer.retryAfter) > 3500 && Number(answer.retryAfter) <= 3600)).toBe(true);
      expect(limited.find((answer) => answer.route === '/api/buildings')!.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringContaining('Retry-After'),
      });
      expect(limited.find((answer) => answer.route === '/api/register_full')!.body).toEqual({ error: expect.stringMatching(/^Zu viele Anfragen/) });
      // The attack this stops: one verification e-mail per accepted registration, no more.
      expect((await readOutbox(started.sut.dataSource)).filter((mail) => mail.kind === 'verification')).toHaveLength(6);
    });

    it('should keep the other budgets of the same client apart', async () => {
      await started.sut.http().post('/api/potential').send(LOOKUP).expect(200);
      await started.sut.http().get('/unsubscribe').expect(200);
    });
  });

  describe('behind no proxy (TRUST_PROXY=0, the default)', () => {
    let started: Started;

    beforeAll(async () => {
      started = await startLimited({ RATE_LIMIT_LOOKUP: '3/1m' });
    });

    afterAll(() => stop(started));

    it('should not let a loopback client rotating X-Forwarded-For escape the limit', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await started.sut.http().post('/api/potential').set('X-Forwarded-For', randomIp()).send(LOOKUP)).status);
      }

      expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    });
  });

  describe.each([
    ['one proxy in front (TRUST_PROXY=1)', '1'],
    ['the proxies named (TRUST_PROXY=127.0.0.0/8,::1)', '127.0.0.0/8,::1'],
  ])('behind %s', (_name, trustProxy) => {
    let started: Started;
    const lookup = (forwardedFor: string): Promise<number> =>
      started.sut
        .http()
        .post('/api/potential')
        .set('X-Forwarded-For', forwardedFor)
        .send(LOOKUP)
        .then((response) => response.status);

    beforeAll(async () => {
      started = await startLimited({ RATE_LIMIT_LOOKUP: '3/1m', TRUST_PROXY: trustProxy });
    });

    afterAll(() => stop(started));

    it('should give each forwarded client its own budget', async () => {
      const first = [];
      for (let i = 0; i < 4; i++) first.push(await lookup('203.0.113.10'));
      const second = [];
      for (let i = 0; i < 4; i++) second.push(await lookup('203.0.113.20'));

      expect(first).toEqual([200, 200, 200, 429]);
      expect(second).toEqual([200, 200, 200, 429]);
    });

    it('should not let a client escape by rotating the entries it writes before its own address', async () => {
      const statuses = [];
      // The proxy appends the address it sees; whatever the client sent stands before it.
      for (let i = 0; i < 4; i++) statuses.push(await lookup(`${randomIp()}, ${randomIp()}, 203.0.113.30`));

      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });

  describe('default budget, the map budget and the health check', () => {
    let started: Started;

    beforeAll(async () => {
      started = await startLimited({ RATE_LIMIT_DEFAULT: '2/1m', RATE_LIMIT_LINKS: '2/1m', RATE_LIMIT_MAP: '6/1m' });
    });

    afterAll(() => stop(started));

    it('should never limit the health check, so a monitor behind a busy address still sees the truth', async () => {
      for (let i = 0; i < 10; i++) {
        const response = await started.sut.http().get('/health');
        expect(response.status).toBe(200);
        expect(response.headers['x-ratelimit-limit']).toBeUndefined();
      }
    });

    it('should count the public map reads against one map budget of their own, in each route’s error shape', async () => {
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await started.sut.http().get(MAP_READS[i % MAP_READS.length])).status);
      const legacy = await started.sut.http().get('/api/get_all_buildings');

      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      expect(legacy.body).toEqual({ error: expect.stringMatching(/^Zu viele Anfragen/) });
      await started.sut.http().get('/api/map/buildings').set('X-Forwarded-For', randomIp()).expect(429); // TRUST_PROXY=0: the header changes nothing
    });

    it('should count every other route against one default budget per client', async () => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await started.sut.http().get('/unsubscribe')).status);
      statuses.push((await started.sut.http().get('/docs-json')).status);

      expect(statuses).toEqual([200, 200, 429, 200]); // the API document is served outside Nest's guards
    });

    it('should answer the pages behind e-mail links with a German page and Retry-After when their budget is spent', async () => {
      const token = randomBytes(32).toString('base64url');
      await started.sut.http().get(`/confirm/${token}`).expect(200);
      await started.sut.http().get(`/unsubscribe/${token}`).expect(200);
      const limited = await started.sut.http().get(`/confirm/${token}`).expect(429);

      expect(limited.headers['content-type']).toMatch(/^text\/html/);
      expect(limited.text).toContain('Zu viele Versuche');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('counters in Redis that go away', () => {
    let proxy: TcpProxy;
    let started: Started;
    const lookup = (): Promise<{ status: number; body: unknown; retryAfter: unknown }> =>
      started.sut
        .http()
        .post('/api/potential')
        .send(LOOKUP)
        .then((response) => ({ status: response.status, body: response.body as unknown, retryAfter: response.headers['retry-after'] }));

    async function lookupUntil(status: number, timeoutMs: number): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      let answer = await lookup();
      while (answer.status !== status && Date.now() < deadline) {
        await sleep(100);
        answer = await lookup();
      }
      return answer.status;
    }

    beforeAll(async () => {
      proxy = await startTcpProxy(REDIS.host, REDIS.port);
      proxy.cut();
      // A secret of its own: the counters of earlier runs stay in the shared Redis for their window.
      started = await startLimited({ REDIS_URL: `redis://${proxy.host}:${proxy.port}`, APP_SECRET: randomBytes(32).toString('hex'), RATE_LIMIT_LOOKUP: '100/1m' });
    });

    afterAll(async () => {
      await stop(started);
      await proxy?.close();
    });

    it('should start without Redis and answer 503 with Retry-After on limited routes, the health check still 200', async () => {
      const askedAt = Date.now();
      const answer = await lookup();

      expect(answer).toEqual({
        status: 503,
        retryAfter: '5',
        body: { statusCode: 503, error: 'Service Unavailable', message: 'The rate-limit counters are unavailable; please try again shortly' },
      });
      expect(Date.now() - askedAt).toBeLessThan(1500);
      await expect(started.sut.http().post('/api/check_potential').send(LOOKUP).expect(503)).resolves.toMatchObject({
        body: { error: expect.stringMatching(/^Der Dienst ist vorübergehend nicht erreichbar/) },
      });
      await started.sut.http().get('/health').expect(200);
      await started.sut.http().get('/api/map/buildings').expect(503);
    });

    it('should count in Redis once it is reachable, and again after it went away and came back', async () => {
      proxy.restore();
      expect(await lookupUntil(200, 10_000)).toBe(200);

      proxy.cut();
      expect(await lookupUntil(503, 5000)).toBe(503);

      proxy.restore();
      expect(await lookupUntil(200, 10_000)).toBe(200);
      expect(proxy.connectionCount()).toBeGreaterThan(0);
    });
  });

  describe('counters in PostgreSQL that goes away', () => {
    let proxy: TcpProxy;
    let database: TestDatabase;
    let sut: TestApp;

    beforeAll(async () => {
      database = await createTestDatabase('server');
      const url = new URL(database.settings.DATABASE_URL);
      proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
      url.hostname = proxy.host;
      url.port = String(proxy.port);
      sut = await startTestApp(
        testEnv(database, { DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '1000', RATE_LIMIT_ENABLED: 'true', MAIL_WORKER_ENABLED: 'false' }),
      );
    });

    afterAll(async () => {
      await sut?.close();
      await proxy?.close();
      await database?.drop();
    });

    it('should answer 503 on limited routes while the database is away, and count again once it is back', async () => {
      await sut.http().post('/api/potential').send(LOOKUP).expect(200);

      proxy.cut();
      const during = await sut.http().post('/api/potential').send(LOOKUP);
      expect(during.status).toBe(503);
      expect(during.headers['retry-after']).toBe('5');
      expect(during.body).toMatchObject({ statusCode: 503, message: 'The rate-limit counters are unavailable; please try again shortly' });

      proxy.restore();
      const deadline = Date.now() + 10_000;
      let after = await sut.http().post('/api/potential').send(LOOKUP);
      while (after.status !== 200 && Date.now() < deadline) {
        await sleep(200);
        after = await sut.http().post('/api/potential').send(LOOKUP);
      }
      expect(after.status).toBe(200);
    });
  });
});

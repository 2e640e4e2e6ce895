import { killAllServiceProcesses, ServiceProcess, startServiceProcess } from './helpers/service-process';
import { startTcpProxy, TcpProxy } from './helpers/tcp-proxy';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from './helpers/test-database';

// An outage needs a server to take away: createTestDatabase('server') uses TEST_DATABASE_URL or the
// machine's PostgreSQL at 127.0.0.1:5432.

const POOL_SIZE = 5;
const ADMIN_API_KEY = 'outage-admin-key-0123456789';
/** Every answer during the outage must come within this: fail fast, never hang. */
const ANSWER_WITHIN_MS = 3000;

type Answer = { status: number; body: string; ms: number; retryAfter: string | null };

async function ask(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = Date.now();
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    return { status: response.status, body, ms: Date.now() - started, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, body: (error as Error).message, ms: Date.now() - started, retryAfter: null };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Asks until `accept` holds or `timeoutMs` passes; returns the last answer either way. */
async function askUntil(timeoutMs: number, askOnce: () => Promise<Answer>, accept: (answer: Answer) => boolean): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  let answer = await askOnce();
  while (!accept(answer) && Date.now() < deadline) {
    await sleep(100);
    answer = await askOnce();
  }
  return answer;
}

describe('Database outage (PostgreSQL server behind a TCP proxy)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: ServiceProcess;
  const auth = { Authorization: `Bearer ${ADMIN_API_KEY}` };
  const health = (): Promise<Answer> => ask(`${service.url}/health`);
  const stats = (): Promise<Answer> => ask(`${service.url}/api/admin/stats`, auth);

  // Background traffic across the whole scenario: every answer must be quick and a 200 or a 503.
  const traffic: Answer[] = [];
  let trafficRunning = false;
  let trafficLoop: Promise<void> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    const target = new URL(database.settings.DATABASE_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.settings.DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    service = await startServiceProcess({
      env: {
        DATABASE_URL: viaProxy.toString(),
        APP_SECRET: TEST_APP_SECRET,
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        ADMIN_API_KEY,
        TOKEN_PURGE_ENABLED: 'false',
        RATE_LIMIT_ENABLED: 'false',
        MAIL_POLL_INTERVAL_MS: '200', // the outbox worker keeps hitting the database during the outage
        SHUTDOWN_GRACE_MS: '5000',
      },
    });
    await service.waitForHealthy(30_000);
  });

  afterAll(async () => {
    trafficRunning = false;
    await trafficLoop;
    await killAllServiceProcesses();
    await proxy?.close();
    await database?.drop();
  });

  it('should answer normally through the proxy', async () => {
    const answer = await stats();

    expect(answer.status).toBe(200);
    expect(proxy.connectionCount()).toBeGreaterThan(0);
    expect(proxy.connectionCount()).toBeLessThanOrEqual(POOL_SIZE);
    trafficRunning = true;
    trafficLoop = (async () => {
      while (trafficRunning) {
        traffic.push(await stats());
        await sleep(50);
      }
    })();
  });

  it('should report the database down within seconds of losing it, answering fast', async () => {
    await sleep(300); // some traffic before the cut
    proxy.cut();

    const down = await askUntil(5000, health, (answer) => answer.status === 503);

    expect(down).toMatchObject({ status: 503 });
    expect(down.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'unhealthy', db: 'down' });
  });

  it('should answer 503 with the error shape for a route that needs the database', async () => {
    const answer = await askUntil(5000, stats, (candidate) => candidate.status === 503);

    expect(answer).toMatchObject({ status: 503, retryAfter: '5' });
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(JSON.parse(answer.body)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database is unavailable; please try again shortly',
    });
  });

  it('should still answer 404 at once for a route that does not exist', async () => {
    const answer = await ask(`${service.url}/nope`);

    expect(answer.status).toBe(404);
    expect(answer.ms).toBeLessThan(1000);
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('should stay up and keep failing fast through a 5 s outage', async () => {
    const started = Date.now();
    const answers: Answer[] = [];
    while (Date.now() - started < 5000) {
      answers.push(await health(), await stats());
      await sleep(250);
    }

    expect(service.child.exitCode).toBeNull();
    expect(service.child.signalCode).toBeNull();
    const slowOrWrong = answers.filter((answer) => answer.status !== 503 || answer.ms >= ANSWER_WITHIN_MS);
    expect(slowOrWrong).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(6);
  });

  it('should recover without a restart once the database is back', async () => {
    proxy.restore();

    const up = await askUntil(10_000, health, (answer) => answer.status === 200);
    expect(up.status).toBe(200);
    expect(JSON.parse(up.body)).toMatchObject({ status: 'healthy', db: 'up' });
    const answer = await askUntil(5000, stats, (candidate) => candidate.status === 200);
    expect(answer.status).toBe(200);
  });

  it('should not leak database connections after the outage', async () => {
    // Load the pool: more concurrent requests than connections.
    const burst = await Promise.all(Array.from({ length: POOL_SIZE * 4 }, () => stats()));

    expect(burst.map((answer) => answer.status)).toEqual(burst.map(() => 200));
    expect(proxy.connectionCount()).toBeLessThanOrEqual(POOL_SIZE);
  });

  it('should have answered every background request quickly with 200 or 503', async () => {
    trafficRunning = false;
    await trafficLoop;

    expect(traffic.length).toBeGreaterThan(20);
    expect(traffic.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
    const unexpected = traffic.filter((answer) => ![200, 503].includes(answer.status) || answer.ms >= ANSWER_WITHIN_MS);
    expect(unexpected).toEqual([]);
    expect(service.logs()).not.toMatch(/Unhandled error|uncaught|unhandledRejection/i);
  });

  it('should still shut down cleanly on SIGTERM', async () => {
    const exit = await service.stop(10_000);

    expect(exit).toEqual({ code: 0, signal: null, timedOut: false });
  });
});

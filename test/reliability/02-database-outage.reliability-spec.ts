import { Client } from 'pg';
import { endScenario, recordResult, sleep, startLoggedService } from '../helpers/reliability-run';
import { registrationBody } from '../helpers/factories';
import { ServiceProcess } from '../helpers/service-process';
import { startTcpProxy, TcpProxy } from '../helpers/tcp-proxy';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const POOL_SIZE = 5;
const OUTAGE_MS = 5000;
const FAST_MS = 3000;

type Answer = { at: number; route: string; status: number; body: string; ms: number };

describe('Scenario 2: database outage behind a TCP proxy', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: ServiceProcess;
  const answers: Answer[] = [];
  let cutAt = 0;
  let restoredAt = 0;
  let recoveredAt = 0;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    const target = new URL(database.settings.DATABASE_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.settings.DATABASE_URL);
    viaProxy.port = String(proxy.port);
    service = await startLoggedService('outage', {
      ...database.settings,
      DATABASE_URL: viaProxy.toString(),
      APP_SECRET: TEST_APP_SECRET,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      RATE_LIMIT_ENABLED: 'false',
      TOKEN_PURGE_ENABLED: 'false',
      MAIL_POLL_INTERVAL_MS: '200',
    });
    await service.waitForHealthy(30_000);
  });

  afterAll(() => endScenario(() => proxy?.close(), () => database?.drop()));

  async function ask(route: string, init: RequestInit = {}): Promise<Answer> {
    const started = Date.now();
    try {
      const response = await fetch(`${service.url}${route}`, { ...init, signal: AbortSignal.timeout(10_000) });
      return { at: started, route, status: response.status, body: await response.text(), ms: Date.now() - started };
    } catch (error) {
      return { at: started, route, status: 0, body: (error as Error).message, ms: Date.now() - started };
    }
  }

  const register = (): Promise<Answer> =>
    ask('/api/buildings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registrationBody({ phone: null })) });

  it('should fail fast with 503, stay up and recover by itself when the database goes away and comes back', async () => {
    let flowing = true;
    const flow = async (next: () => Promise<Answer>): Promise<void> => {
      while (flowing) {
        answers.push(await next());
        await sleep(50);
      }
    };
    const flows = [flow(register), flow(register), flow(() => ask('/api/map/buildings')), flow(() => ask('/health'))];
    await sleep(1000);
    cutAt = Date.now();
    proxy.cut();
    await sleep(OUTAGE_MS);
    expect(service.child.exitCode).toBeNull();
    restoredAt = Date.now();
    proxy.restore();
    const deadline = restoredAt + 15_000;
    while (Date.now() < deadline && !recoveredAt) {
      const probe = await register();
      answers.push(probe);
      if (probe.status === 201) recoveredAt = Date.now();
      else await sleep(100);
    }
    await sleep(1000);
    flowing = false;
    await Promise.all(flows);

    const during = answers.filter((answer) => answer.at > cutAt + 1500 && answer.at + answer.ms < restoredAt);
    const dataRoutes = during.filter((answer) => answer.route !== '/health');
    const wrong = dataRoutes.filter((answer) => {
      if (answer.status !== 503 || answer.ms >= FAST_MS) return true;
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      return body.statusCode !== 503 || body.error !== 'Service Unavailable' || typeof body.message !== 'string' || /at .+:\d+:\d+/.test(answer.body);
    });
    const health = during.filter((answer) => answer.route === '/health');
    const healthWrong = health.filter((answer) => answer.status !== 503 || (JSON.parse(answer.body) as { status?: string }).status !== 'unhealthy');
    const before = answers.filter((answer) => answer.at + answer.ms < cutAt);
    const after = answers.filter((answer) => recoveredAt && answer.at > recoveredAt);
    const unexpected = [...before, ...after].filter((answer) => answer.status >= 300 && answer.status !== 304);

    // Connections: after a burst, never more than the pool through the proxy or on the server.
    const burst = await Promise.all(Array.from({ length: POOL_SIZE * 4 }, () => ask('/api/map/buildings')));
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const [{ n: serverConnections }] = (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [new URL(database.settings.DATABASE_URL).pathname.slice(1)])).rows as { n: number }[];
    await admin.end();

    recordResult(__filename, {
      id: '2',
      scenario: 'Database outage',
      done: `registrations, map reads and /health flowing in 4 loops; the database cut off for ${OUTAGE_MS / 1000} s by a TCP proxy (connections reset), then given back; no restart`,
      checked: `every data request during the outage answered 503 in the JSON error shape within ${FAST_MS / 1000} s; /health 503 unhealthy; the process stays up; recovery without restart; connections ≤ pool (${POOL_SIZE}) afterwards`,
      figures: `${answers.length} requests; during the outage ${dataRoutes.length} data requests, ${dataRoutes.length - wrong.length} fast 503 (slowest ${Math.max(0, ...dataRoutes.map((answer) => answer.ms))} ms), /health unhealthy ${health.length - healthWrong.length}/${health.length}; recovered ${recoveredAt ? recoveredAt - restoredAt : 'never'} ms after the database returned; ${proxy.connectionCount()} proxy / ${serverConnections} server connections after a burst of ${burst.length}`,
    });
    expect(dataRoutes.length).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
    expect(healthWrong).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(recoveredAt - restoredAt).toBeLessThan(5000);
    expect(recoveredAt).toBeGreaterThan(0);
    expect(burst.every((answer) => answer.status === 200)).toBe(true);
    expect(proxy.connectionCount()).toBeLessThanOrEqual(POOL_SIZE);
    expect(serverConnections).toBeLessThanOrEqual(POOL_SIZE);
    expect(service.child.exitCode).toBeNull();
    expect(service.logs()).not.toMatch(/unhandledRejection|uncaughtException/i);
  });
});

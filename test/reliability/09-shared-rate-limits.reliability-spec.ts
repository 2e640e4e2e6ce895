import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { registrationBody } from '../helpers/factories';
import { endScenario, openDataSource, recordResult, recordSecrets, startLoggedService } from '../helpers/reliability-run';
import { ServiceProcess } from '../helpers/service-process';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REGISTRATION_LIMIT = 8;
const REGISTRATION_ATTEMPTS = 24;
const LOOKUP_LIMIT = 20;
const LOOKUP_BURST = 60;
const REGISTRATION_ROUTES = ['/api/interest-pool', '/api/buildings', '/api/register_anonymous', '/api/register_full'];
const LOOKUP = { address: 'Badstrasse 12, 5400 Baden' };

type Store = 'PostgreSQL' | 'Redis';
type Outcome = { store: Store; registrationsAccepted: number; registrationsLimited: number; mails: number; lookupsAccepted: number; lookupsLimited: number; others: number[] };

async function post(replica: ServiceProcess, path: string, body: unknown): Promise<number> {
  const response = await fetch(`${replica.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe('Scenario 9: rate limits shared by two replicas', () => {
  const outcomes: Outcome[] = [];
  const databases: TestDatabase[] = [];
  const connections: DataSource[] = [];

  afterAll(async () => {
    const [pg, redis] = outcomes;
    recordResult(__filename, {
      id: '9',
      scenario: 'Rate limits across replicas',
      done: `for each counter store (PostgreSQL table, then Redis): 2 service processes on one server database, registration budget ${REGISTRATION_LIMIT}/1h and lookup budget ${LOOKUP_LIMIT}/1m; one client (127.0.0.1) sends ${REGISTRATION_ATTEMPTS} registrations one after the other, alternating the replicas and the four registration routes, then ${LOOKUP_BURST} address checks at once, half to each replica`,
      checked: 'accepted registrations = the limit (not 2×), the rest 429; verification e-mails queued = accepted registrations; accepted checks of the concurrent burst = the limit; no other status',
      figures: [pg, redis]
        .filter(Boolean)
        .map(
          (o) =>
            `${o.store}: registrations ${o.registrationsAccepted} accepted / ${o.registrationsLimited} × 429 of ${REGISTRATION_ATTEMPTS} (limit ${REGISTRATION_LIMIT}), ${o.mails} verification e-mails; burst ${o.lookupsAccepted} accepted / ${o.lookupsLimited} × 429 of ${LOOKUP_BURST} (limit ${LOOKUP_LIMIT})`,
        )
        .join('; '),
    });
    await endScenario(
      ...connections.map((connection) => () => connection.destroy()),
      ...databases.map((database) => () => database.drop()),
    );
  });

  it.each<[Store, Record<string, string>]>([
    ['PostgreSQL', {}],
    ['Redis', { REDIS_URL }],
  ])('should let one client through exactly the limit across both replicas, counters in %s', async (store, storeSettings) => {
    const database = await createTestDatabase('server');
    databases.push(database);
    const settings = {
      ...database.settings,
      ...storeSettings,
      // A secret of its own (it keys the counters): the machine's Redis keeps earlier runs' counters for their window.
      APP_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_REGISTRATION: `${REGISTRATION_LIMIT}/1h`,
      RATE_LIMIT_LOOKUP: `${LOOKUP_LIMIT}/1m`,
      MAIL_WORKER_ENABLED: 'false',
      TOKEN_PURGE_ENABLED: 'false',
      DATABASE_POOL_SIZE: '5',
    };
    const replicas = await Promise.all([1, 2].map((n) => startLoggedService(`rate-limits-${store.toLowerCase()}-${n}`, settings)));
    await Promise.all(replicas.map((replica) => replica.waitForHealthy(30_000)));

    const registrations: number[] = [];
    for (let i = 0; i < REGISTRATION_ATTEMPTS; i++) {
      // Signed with this run's secret, as the replicas' address check would sign it: every refusal is the limit's.
      const body = registrationBody({ secret: settings.APP_SECRET });
      recordSecrets([body.email]);
      registrations.push(await post(replicas[i % 2], REGISTRATION_ROUTES[i % REGISTRATION_ROUTES.length], body));
    }
    const lookups = await Promise.all(Array.from({ length: LOOKUP_BURST }, (_, i) => post(replicas[i % 2], '/api/potential', LOOKUP)));
    await Promise.all(replicas.map((replica) => replica.stop(10_000)));

    const db = await openDataSource(database.settings.DATABASE_URL);
    connections.push(db);
    const [{ mails }] = await db.query<{ mails: number }[]>("SELECT count(*)::int AS mails FROM mail_outbox WHERE kind = 'verification'");
    const accepted = (statuses: number[]): number => statuses.filter((status) => status === 200 || status === 201).length;
    const outcome: Outcome = {
      store,
      registrationsAccepted: accepted(registrations),
      registrationsLimited: registrations.filter((status) => status === 429).length,
      mails,
      lookupsAccepted: accepted(lookups),
      lookupsLimited: lookups.filter((status) => status === 429).length,
      others: [...registrations, ...lookups].filter((status) => ![200, 201, 429].includes(status)),
    };
    outcomes.push(outcome);

    expect(outcome).toEqual({
      store,
      registrationsAccepted: REGISTRATION_LIMIT,
      registrationsLimited: REGISTRATION_ATTEMPTS - REGISTRATION_LIMIT,
      mails: REGISTRATION_LIMIT,
      lookupsAccepted: LOOKUP_LIMIT,
      lookupsLimited: LOOKUP_BURST - LOOKUP_LIMIT,
      others: [],
    });
  });
});

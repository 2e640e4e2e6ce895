import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  capturedLogs,
  endScenario,
  flushLogs,
  openDataSource,
  phoneForms,
  recordedSecrets,
  recordResult,
  recordSecrets,
  sleep,
  startLoggedService,
  uniquePhone,
} from '../helpers/reliability-run';
import { linkToken, readOutbox } from '../helpers/outbox';
import { registrationBody, uniqueBuildingId } from '../helpers/factories';
import { ServiceProcess } from '../helpers/service-process';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const ADMIN_KEY = 'secrets-admin-key-0123456789abcdef';
const BRUTE_FORCE_ATTEMPTS = 40;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const ANCHOR_ADDRESS = 'Badstrasse 12, 5400 Baden';

type ProfileSummary = { building_id: string; lat: number; lon: number; profile_token: string };
type Person = { body: { email: string; profile: { building_id: string; lat: number; lon: number } }; phones: string[]; route: '/api/buildings' | '/api/interest-pool' };
type Answer = { route: string; status: number; text: string; asker?: Person };

/** Every number in a JSON text (to find exact coordinates whatever their formatting). */
function numbersIn(text: string): number[] {
  return (text.match(/-?\d+\.\d+/g) ?? []).map(Number);
}

/** Whether a latitude and a longitude within 1e-6° (~0.1 m) of the given ones stand next to each other (either order). */
function showsPosition(text: string, lat: number, lon: number): boolean {
  const numbers = numbersIn(text);
  const near = (n: number | undefined, target: number): boolean => n !== undefined && Math.abs(n - target) < 1e-6;
  return numbers.some((n, i) => (near(n, lat) && (near(numbers[i + 1], lon) || near(numbers[i - 1], lon))));
}

describe('Scenario 7: secrets and privacy', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: ServiceProcess;
  let withoutKey: ServiceProcess;
  const people: Person[] = [];
  const figures: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('server');
    const common = {
      ...database.settings,
      APP_SECRET: TEST_APP_SECRET,
      TOKEN_PURGE_ENABLED: 'false',
      MAIL_WORKER_ENABLED: 'false',
      CLUSTER_RECOMPUTE_DEBOUNCE_MS: '20',
    };
    service = await startLoggedService('secrets', { ...common, RATE_LIMIT_ENABLED: 'true', ADMIN_API_KEY: ADMIN_KEY });
    await service.waitForHealthy(30_000);
    withoutKey = await startLoggedService('secrets-no-admin', { ...common, RATE_LIMIT_ENABLED: 'false' });
    await withoutKey.waitForHealthy(30_000);
    db = await openDataSource(database.settings.DATABASE_URL);
  });

  afterAll(() => endScenario(() => db?.destroy(), () => database?.drop()));

  const call = async (target: ServiceProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${target.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { route: `${method} ${path.replace(/\/[A-Za-z0-9_-]{43}$/, '/:token')}`, status: response.status, text: await response.text() };
  };

  it('should never show another person’s e-mail, phone, building id or exact coordinates on a public route', async () => {
    // An address of the directory for the checks; the people live around it, not at any address of the directory.
    const anchorCheck = await call(withoutKey, 'POST', '/api/potential', { address: ANCHOR_ADDRESS });
    expect(anchorCheck.status).toBe(200);
    const anchor = (JSON.parse(anchorCheck.text) as { profile_summary: ProfileSummary }).profile_summary;
    // Three neighbours with distinctive coordinates (many decimals) and phones; two confirmed.
    for (let i = 0; i < 3; i++) {
      const phone = uniquePhone();
      const body = registrationBody({
        buildingId: uniqueBuildingId('privacy'),
        phone: phone.raw,
        lat: anchor.lat + 0.0001234 + i * 0.0003141,
        lon: anchor.lon + 0.0001357 + i * 0.0002718,
      });
      people.push({ body, phones: phoneForms(phone), route: i === 2 ? '/api/interest-pool' : '/api/buildings' });
      recordSecrets([body.email, ...phoneForms(phone)]);
    }
    const answers: Answer[] = [];
    for (const person of people) answers.push({ ...(await call(withoutKey, 'POST', person.route, person.body)), asker: person });
    const mails = await readOutbox(db);
    recordSecrets(mails.flatMap((mail) => [...mail.text.matchAll(/\/(?:confirm|unsubscribe)\/([A-Za-z0-9_-]{43})/g)].map((match) => match[1])));
    for (const person of people.slice(0, 2)) {
      const mail = mails.find((candidate) => candidate.buildingId === person.body.profile.building_id && candidate.kind === 'verification')!;
      const token = linkToken(mail, 'confirm');
      answers.push({ ...(await call(withoutKey, 'GET', `/confirm/${token}`)), asker: person });
      answers.push({ ...(await call(withoutKey, 'POST', '/api/verification/confirm', { token })), asker: person });
    }
    // The recomputation after the confirmations puts the two on the public map.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(100)) {
      const shown = JSON.parse((await call(withoutKey, 'GET', '/api/clusters')).text) as { clusters: unknown[] };
      if (shown.clusters.length > 0) break;
    }
    const [first] = people;
    answers.push(
      await call(withoutKey, 'GET', '/api/map/buildings'),
      await call(withoutKey, 'GET', '/api/clusters'),
      await call(withoutKey, 'GET', '/api/get_all_buildings'),
      await call(withoutKey, 'GET', '/api/get_all_clusters'),
      await call(withoutKey, 'GET', '/health'),
      await call(withoutKey, 'GET', '/docs-json'),
      await call(withoutKey, 'GET', `/api/addresses?q=${encodeURIComponent(ANCHOR_ADDRESS)}`),
      await call(withoutKey, 'POST', '/api/potential', { building_id: anchor.building_id }),
      await call(withoutKey, 'POST', '/api/potential', { address: ANCHOR_ADDRESS }),
      await call(withoutKey, 'POST', '/api/check_potential', { address: ANCHOR_ADDRESS }),
      await call(withoutKey, 'POST', '/api/unsubscribe/request', { email: first.body.email }),
    );
    // The checks next to them must show the confirmed two (blurred), or the search below would prove nothing.
    const checked = answers.filter((answer) => answer.route === 'POST /api/potential').map((answer) => JSON.parse(answer.text) as { cluster_info: { num_members: number } | null });
    expect(checked.map((answer) => answer.cluster_info?.num_members)).toEqual([3, 3]);
    // The owner at the checked address registers with the profile the check signed; a fourth person registers next
    // to them through the previous API. Both see the community but not its members.
    {
      const phone = uniquePhone();
      const body = { email: `${uniqueBuildingId('asker')}@example.ch`, phone: phone.raw, profile: anchor };
      recordSecrets([body.email, ...phoneForms(phone)]);
      const registered = await call(withoutKey, 'POST', '/api/buildings', body);
      expect(registered.status).toBe(201);
      answers.push({ ...registered, asker: { body, phones: phoneForms(phone), route: '/api/buildings' } });
    }
    for (const route of ['/api/register_full', '/api/register_anonymous']) {
      const phone = uniquePhone();
      const body = registrationBody({ buildingId: uniqueBuildingId('asker'), phone: phone.raw, lat: first.body.profile.lat + 0.0001, lon: first.body.profile.lon + 0.00007 });
      recordSecrets([body.email, ...phoneForms(phone)]);
      answers.push({ ...(await call(withoutKey, 'POST', route, body)), asker: { body, phones: phoneForms(phone), route: '/api/buildings' } });
    }
    // Last, the third person leaves: the unsubscribe page and route answer only about them.
    const third = people[2];
    const farewell = mails.find((candidate) => candidate.buildingId === third.body.profile.building_id && candidate.kind === 'verification')!;
    const unsubscribeToken = linkToken(farewell, 'unsubscribe');
    answers.push({ ...(await call(withoutKey, 'GET', `/unsubscribe/${unsubscribeToken}`)), asker: third });
    answers.push({ ...(await call(withoutKey, 'POST', '/api/unsubscribe', { token: unsubscribeToken })), asker: third });

    const leaks: string[] = [];
    for (const answer of answers) {
      for (const person of people) {
        if (answer.asker === person) continue;
        const lowered = answer.text.toLowerCase();
        const found = [
          lowered.includes(person.body.email.toLowerCase()) && 'e-mail',
          person.phones.some((form) => answer.text.includes(form)) && 'phone',
          answer.text.includes(person.body.profile.building_id) && 'building id',
          showsPosition(answer.text, person.body.profile.lat, person.body.profile.lon) && 'exact coordinates',
        ].filter(Boolean);
        if (found.length > 0) leaks.push(`${answer.route} (${answer.status}) shows ${found.join(', ')} of ${person.body.profile.building_id}`);
      }
    }
    const routes = new Set(answers.map((answer) => answer.route));
    figures.push(`${answers.length} answers from ${routes.size} public routes searched for ${people.length} people's e-mail, phone (3 forms), building id and exact coordinates: ${leaks.length} leaks`);
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    expect(leaks).toEqual([]);
  });

  it('should refuse missing and wrong admin keys, and turn the admin API off without a key', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/admin/stats'],
      ['GET', '/api/admin/buildings'],
      ['GET', '/api/admin/interest-pool'],
      ['GET', `/api/admin/records/${people[0].body.profile.building_id}`],
      ['DELETE', `/api/admin/records/${people[0].body.profile.building_id}`],
      ['POST', '/api/admin/clusters/recompute'],
      ['POST', '/api/admin/tokens/purge'],
      ['GET', '/api/admin/export'],
    ];
    const wrong = [undefined, '', 'Bearer', `Bearer ${ADMIN_KEY.slice(0, -1)}`, `Bearer ${ADMIN_KEY}x`, `bearer ${ADMIN_KEY}`, ADMIN_KEY, `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`];
    const refused: number[] = [];
    const off: number[] = [];
    for (const [method, path] of routes) {
      for (const authorization of wrong) {
        refused.push((await call(service, method, path, undefined, authorization === undefined ? {} : { authorization })).status);
      }
      off.push((await call(withoutKey, method, path, undefined, { authorization: `Bearer ${ADMIN_KEY}` })).status);
    }
    const allowed = await call(service, 'GET', '/api/admin/stats', undefined, { authorization: `Bearer ${ADMIN_KEY}` });
    const [{ n: records }] = (await db.query<unknown>('SELECT count(*)::int AS n FROM buildings WHERE building_id = $1', [people[0].body.profile.building_id])) as { n: number }[];

    figures.push(`admin: ${refused.length} requests with missing/wrong keys → ${[...new Set(refused)].join('/')}; ${off.length} with the key to a process without ADMIN_API_KEY → ${[...new Set(off)].join('/')}; right key → ${allowed.status}`);
    expect(refused).toEqual(refused.map(() => 401));
    expect(off).toEqual(off.map(() => 404));
    expect(allowed.status).toBe(200);
    expect(records).toBe(1);
  });

  it('should issue unguessable tokens and rate-limit a brute force of the confirm route', async () => {
    const mails = await readOutbox(db);
    const tokens = mails.flatMap((mail) => [...mail.text.matchAll(/\/(?:confirm|unsubscribe)\/([^\s"<>]+)/g)].map((match) => match[1]));
    const bytes = tokens.map((token) => Buffer.from(token, 'base64url').length);
    const statuses: number[] = [];
    for (let i = 0; i < BRUTE_FORCE_ATTEMPTS && !statuses.includes(429); i++) {
      statuses.push((await call(service, 'POST', '/api/verification/confirm', { token: randomBytes(32).toString('base64url') })).status);
    }
    const limited = await call(service, 'POST', '/api/verification/confirm', { token: randomBytes(32).toString('base64url') });

    figures.push(
      `${tokens.length} tokens in the queued e-mails: all ${TOKEN_SHAPE.test(tokens[0] ?? '') && tokens.every((t) => TOKEN_SHAPE.test(t)) ? '43 base64url chars' : 'NOT 43 base64url chars'} (${Math.min(...bytes) * 8} bits), ${new Set(tokens).size} distinct; brute force: 429 after ${statuses.length} attempts (${statuses.filter((s) => s === 404).length} × 404 before, none accepted)`,
    );
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    expect(tokens.every((token) => TOKEN_SHAPE.test(token))).toBe(true);
    expect(Math.min(...bytes)).toBeGreaterThanOrEqual(32);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 429 && status !== 404)).toEqual([]);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('should write no e-mail address, phone number or token used anywhere in the run to any log line', async () => {
    await Promise.all([service.stop(10_000), withoutKey.stop(10_000)]);
    flushLogs();
    const secrets = recordedSecrets();
    const logs = capturedLogs();
    const lines = logs.reduce((sum, log) => sum + log.text.split('\n').length, 0);
    const hits: string[] = [];
    for (const log of logs) {
      const lowered = log.text.toLowerCase();
      for (const secret of secrets) if (lowered.includes(secret.toLowerCase())) hits.push(`${log.name}: ${secret.slice(0, 4)}…`);
    }
    figures.push(`log search: ${secrets.length} e-mails/phones/tokens used in the run, ${logs.length} process logs (${lines} lines, every scenario of the run, LOG_LEVEL=debug): ${hits.length} hits`);
    expect(secrets.length).toBeGreaterThanOrEqual(20);
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(hits).toEqual([]);
  });

  afterAll(() => {
    recordResult(__filename, {
      id: '7',
      scenario: 'Secrets and privacy',
      done: 'neighbours registered and confirmed with distinctive phones and coordinates around an address of the directory; every public route called (new and previous API, link pages, address suggestions, address checks that show their community, map, clusters, health, docs; a registration with the profile the check signed); admin routes with missing/wrong keys and on a process without ADMIN_API_KEY; 40 random tokens against the confirm route with the rate limit on; at the end, every log line of every process the whole run started searched',
      checked: 'no public answer contains another person’s e-mail, phone, building id or position (lat and lon side by side, each within 0.1 m); admin: 401 without/with a wrong key, 404 when off; tokens 43 base64url chars (256 bits), distinct; brute force hits 429; no e-mail, phone or token used in the run appears in any log line',
      figures: figures.join('; '),
    });
  });
});

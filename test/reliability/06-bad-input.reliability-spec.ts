import { request } from 'node:http';
import { DataSource } from 'typeorm';
import { databaseChecksum } from '../helpers/database-state';
import { endScenario, openDataSource, recordResult, recordSecrets, sleep, startLoggedService } from '../helpers/reliability-run';
import { registrationBody, signedProfile } from '../helpers/factories';
import { ServiceProcess } from '../helpers/service-process';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

/** `profile`: a bad profile, whose refusal must say so (the message names the profile or the address check). */
type Case = { method: string; path: string; body?: Buffer | string; contentType?: string; authorization?: string; legacy?: boolean; html?: boolean; profile?: boolean };

const ADMIN_KEY = 'bad-input-admin-key-0123456789abcdef';

const VALUES: unknown[] = [
  null, true, 0, -1, 1e308, -1e308, 'NaN', '', ' ', 'x'.repeat(70_000), [], [1, 2], Array.from({ length: 50_000 }, () => 1), {}, { $gt: '' },
  "' OR 1=1 --", "'; DROP TABLE buildings; --", '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '\u0000', '../../etc/passwd', '%00', '😀'.repeat(300),
];
const RAW_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1e-400', '0x10', '01', '1.', '.5', '+1'];
const TOKENS = ['', 'a', 'x'.repeat(42), 'x'.repeat(44), '!'.repeat(43), 'A'.repeat(42) + '=', '00000000-0000-0000-0000-00000000000g', '../' + 'a'.repeat(40), '%2e%2e%2f', 'a'.repeat(5000), '<b>' + 'a'.repeat(40)];

const NON_STRINGS: unknown[] = [true, 0, -1, 1e308, [], [1, 2], {}, { $gt: '' }];
const NON_NUMBERS: unknown[] = [true, 'NaN', 'Infinity', '', ' ', '1', [], [1, 2], {}, { $gt: '' }, "' OR 1=1 --", '<script>alert(1)</script>'];
const INJECTIONS = ["' OR 1=1 --", "'; DROP TABLE buildings; --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '\u0000'];
/**
 * For each profile field, values that field must refuse (none of them valid, so no case can be accepted).
 * Besides malformed values: well-formed ones that differ from what the address check signed (another
 * building, a position 0.1 m away, another address), and owner corrections outside the bounds the check
 * states (the factory's profile: 12 000 kWh, so 3 000–48 000 kWh; a 60 m² roof, so at most 15 kWp).
 * `null` and leaving a field out are not bad input: the signed value counts.
 */
const BAD_PROFILE_FIELDS: Record<string, unknown[]> = {
  building_id: [...NON_STRINGS, '', ' ', 'a b', 'a/b', '😀', 'x'.repeat(101), ...INJECTIONS, 'demo-baden-badstrasse-14', 'bad-input-seed'],
  lat: [...NON_NUMBERS, 0, -1, 44.99, 48.01, 90, 1e308, -1e308, 47.4731 + 1e-6, 47.4732],
  lon: [...NON_NUMBERS, 0, 4.99, 11.01, 180, 1e308, 8.3066 - 1e-6, 8.3067],
  address: [...NON_STRINGS, 'x'.repeat(201), 'x'.repeat(70_000), '😀'.repeat(300), 'Badstrasse 14, 5400 Baden', 'badstrasse 12, 5400 baden', ''],
  plz: [...NON_NUMBERS, 0, -1, 999, 10_000, 1000.5, 1e308, 5401, 8000],
  municipality: [...NON_STRINGS, 'x'.repeat(101), 'Wettingen', ''],
  building_type: [...NON_STRINGS, '', 'x'.repeat(51), ...INJECTIONS, 'MFH', 'non-residential'],
  annual_consumption_kwh: [...NON_NUMBERS, -1, -0.001, 100_000_001, 1e308, 0, 2999, 48_001, 1_000_000],
  potential_pv_kwp: [...NON_NUMBERS, -1, 100_001, 1e308, 15.1, 50, 100_000],
};
/** A secret other than the service's: a profile signed with it is hand-made as far as the service can tell. */
const OTHER_SECRET = 'another-secret-0123456789abcdef0123456789abcdef';

/** The token with its payload (base64url JSON) changed by `change`, the signature kept. */
function alteredToken(token: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): string {
  const [version, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${version}.${Buffer.from(JSON.stringify(change(decoded))).toString('base64url')}.${signature}`;
}

/**
 * profile_token values the service must refuse: malformed, altered after signing (payload or signature),
 * signed with another key, expired, or a valid token of another building under this building's fields.
 */
function badTokens(valid: { profile: { profile_token: string } }): unknown[] {
  const token = valid.profile.profile_token;
  const [version, payload, signature] = token.split('.');
  const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
  const facts = { buildingId: 'bad-input-valid', lat: 47.4731, lon: 8.3066 };
  return [
    ...NON_STRINGS, null, '', ' ', 'v1', 'v1..', `${version}.${payload}`, `${version}.${payload}.`, `.${payload}.${signature}`,
    `v2.${payload}.${signature}`, `${token}.x`, `${version}.${payload}.${signature.slice(1)}`,
    `${version}.${payload}.${flipped}`, `${version}.${payload.slice(0, -4)}.${signature}`, `${version}.e30.${signature}`, `${version}.!!!!.${signature}`,
    'x'.repeat(4001), `${token}${'A'.repeat(4001 - token.length)}`, ...INJECTIONS,
    alteredToken(token, (signed) => ({ ...signed, lat: 47.5, lon: 8.4 })),
    alteredToken(token, (signed) => ({ ...signed, building_id: 'bad-input-seed' })),
    alteredToken(token, (signed) => ({ ...signed, expires_at: Date.now() + 365 * 24 * 3600 * 1000 })),
    alteredToken(token, (signed) => ({ ...signed, annual_consumption_kwh: 1_000_000, roof_area_m2: 100_000 })),
    signedProfile(facts, OTHER_SECRET).profile_token,
    signedProfile({ ...facts, validForMs: -60_000 }).profile_token,
    signedProfile({ ...facts, validForMs: -1 }).profile_token,
    signedProfile({ ...facts, buildingId: 'bad-input-other' }).profile_token,
    signedProfile({ ...facts, lat: 47.4741 }).profile_token,
  ];
}
const BAD_EXTRAS: unknown[] = [{ '1bad': 1 }, { 'bad-key': 1 }, { x: {} }, { x: [] }, { x: 'y'.repeat(501) }, Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i]))];
const BAD_EMAILS: unknown[] = [...VALUES, 'no-at-sign', '@example.ch', 'a@', 'a@b', 'a b@example.ch', `${'a'.repeat(320)}@example.ch`, 'a@example.ch\r\nBcc: x@example.ch'];
// '' and ' ' are an empty form field: no phone, accepted.
const BAD_PHONES: unknown[] = [true, 0, 12345, 41791234567, '123', '+4179123456', '+417912345678', '+49 30 1234567', 'phone', [], {}, ...INJECTIONS];

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function corpus(legacyRoutes: boolean): Case[] {
  const cases: Case[] = [];
  const json = (path: string, body: unknown, extra: Partial<Case> = {}): void => {
    cases.push({ method: 'POST', path, body: JSON.stringify(body), contentType: 'application/json', ...extra });
  };
  const valid = registrationBody({ buildingId: 'bad-input-valid' });
  const expired = { ...valid, profile: signedProfile({ buildingId: 'bad-input-valid', lat: 47.4731, lon: 8.3066, validForMs: -24 * 3600 * 1000 }) };
  const other = registrationBody({ buildingId: 'bad-input-other', lat: 47.4741, lon: 8.3076 });
  const registrationRoutes = ['/api/buildings', '/api/interest-pool'];
  const fieldMutations = (path: string, legacy: boolean): void => {
    for (const value of BAD_EMAILS) json(path, { ...valid, email: value }, { legacy });
    for (const value of BAD_PHONES) json(path, { ...valid, phone: value }, { legacy });
    for (const value of VALUES) json(path, { ...valid, profile: value }, { legacy, profile: !legacy });
    for (const [field, values] of Object.entries(BAD_PROFILE_FIELDS)) {
      for (const value of values) json(path, { ...valid, profile: { ...valid.profile, [field]: value } }, { legacy, profile: !legacy });
    }
    for (const extras of BAD_EXTRAS) json(path, { ...valid, profile: { ...valid.profile, ...(extras as object) } }, { legacy, profile: !legacy });
    for (const token of badTokens(valid)) json(path, { ...valid, profile: { ...valid.profile, profile_token: token } }, { legacy, profile: !legacy });
    // Hand-made: the profile without its token (the previous API's shape), and one signed with another key.
    const { profile_token: _token, ...unsigned } = valid.profile;
    json(path, { ...valid, profile: unsigned }, { legacy, profile: !legacy });
    json(path, { ...valid, profile: { building_id: 'bad-input-valid', lat: 47.4731, lon: 8.3066, annual_consumption_kwh: 12_000, potential_pv_kwp: 9 } }, { legacy, profile: !legacy });
    json(path, registrationBody({ buildingId: 'bad-input-valid', secret: OTHER_SECRET }), { legacy, profile: !legacy });
    // Expired: the check's answer is a day old.
    json(path, { ...valid, profile: { ...valid.profile, profile_token: expired.profile.profile_token } }, { legacy, profile: !legacy });
    json(path, expired, { legacy, profile: !legacy });
    // Swapped: another building's valid token under this building's fields, and the other way round.
    json(path, { ...valid, profile: { ...valid.profile, profile_token: other.profile.profile_token } }, { legacy, profile: !legacy });
    json(path, { ...other, profile: { ...other.profile, profile_token: valid.profile.profile_token } }, { legacy, profile: !legacy });
  };
  for (const path of registrationRoutes) {
    fieldMutations(path, false);
    for (const field of ['email', 'profile']) {
      const { [field as 'email']: _dropped, ...rest } = valid;
      json(path, rest);
    }
    json(path, { ...valid, extra: 1 });
    json(path, { ...valid, isAdmin: true });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: `{"__proto__":{"polluted":1},"email":"a@b.ch"}` });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify(valid).replace('{', '{"constructor":{"prototype":{"x":1}},') });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify(valid).replace('"profile":{', '"profile":{"__proto__":{"x":1},') });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify(valid).replace('"profile":{', '"profile":{"constructor":{"x":1},') });
    for (const [lat, lon] of [[0, 0], [90.1, 8], [47, 180.5], [-47, -8], [44.99, 8], [48.01, 8], [47, 4.99], [47, 11.01]]) json(path, { ...valid, profile: { ...valid.profile, lat, lon } });
    for (const raw of RAW_NUMBERS) {
      cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify(valid).replace('"lat":47.4731', `"lat":${raw}`) });
      cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify(valid).replace('"plz":5400', `"plz":${raw}`) });
    }
    cases.push({ method: 'POST', path, contentType: 'application/json', body: nested(5000) });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('@x.ch"}')]) });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: '{"email":' });
    cases.push({ method: 'POST', path, contentType: 'text/plain', body: JSON.stringify(valid) });
    cases.push({ method: 'POST', path, contentType: 'application/xml', body: '<x/>' });
    cases.push({ method: 'POST', path, contentType: 'application/x-www-form-urlencoded', body: 'email=a%40b.ch&profile=1' });
    cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify({ ...valid, pad: 'x'.repeat(1_100_000) }) });
  }
  for (const token of TOKENS) {
    for (const value of [token, ...VALUES.slice(0, 12)]) {
      json('/api/verification/confirm', { token: value });
      json('/api/unsubscribe', { token: value });
    }
    if (token) {
      const encoded = encodeURIComponent(token);
      cases.push({ method: 'GET', path: `/confirm/${encoded}`, html: true }, { method: 'POST', path: `/confirm/${encoded}`, html: true });
      cases.push({ method: 'GET', path: `/unsubscribe/${encoded}`, html: true }, { method: 'POST', path: `/unsubscribe/${encoded}`, html: true });
    }
  }
  json('/api/verification/confirm', { token: 'a'.repeat(43), extra: 1 });
  json('/api/verification/confirm', {});
  for (const value of [...VALUES, 'no-at-sign', '@example.ch', 'a@', 'a@b', 'a b@example.ch', `${'a'.repeat(320)}@example.ch`]) json('/api/unsubscribe/request', { email: value });
  json('/api/unsubscribe/request', { email: 'a@example.ch', extra: true });
  for (const value of VALUES) {
    json('/api/potential', { address: value });
    json('/api/potential', { profile: value });
    json('/api/potential', { profile: { ...valid.profile, lat: value } });
  }
  for (const value of [...NON_STRINGS, null, '', ' ', 'a b', 'a/b', '😀', 'x'.repeat(101), ...INJECTIONS, 'no-such-building']) {
    json('/api/potential', { building_id: value });
  }
  json('/api/potential', { building_id: 'demo-baden-badstrasse-12', lat: 47.4731, lon: 8.3066 });
  json('/api/potential', { address: 'Nirgendwoweg 99, 5400 Baden' });
  json('/api/potential', { address: 'Bahnhofstrasse 1, 8001 Zürich' });
  json('/api/potential', {});
  for (const q of ['', 'a', 'x'.repeat(101), "' OR 1=1 --", '<script>', '%00', '../../etc/passwd', '😀😀']) {
    cases.push({ method: 'GET', path: `/api/addresses?q=${encodeURIComponent(q)}` });
  }
  cases.push({ method: 'GET', path: '/api/addresses' }, { method: 'GET', path: '/api/addresses?q=Bad&q=str' }, { method: 'GET', path: '/api/addresses?q[$gt]=a' });
  json('/api/potential', { address: 'Badstrasse 12', profile: valid.profile, other: 1 });
  for (const query of ['?limit=-1', '?bbox=1,2,3', "?x=' OR 1=1", '?__proto__[x]=1']) {
    cases.push({ method: 'POST', path: `/api/map/buildings${encodeURI(query)}` }, { method: 'DELETE', path: `/api/clusters${encodeURI(query)}` });
  }
  const adminRoutes: [string, string][] = [
    ['GET', '/api/admin/stats'],
    ['GET', '/api/admin/buildings'],
    ['GET', '/api/admin/interest-pool'],
    ['GET', '/api/admin/records/bad-input-seed'],
    ['DELETE', '/api/admin/records/bad-input-seed'],
    ['POST', '/api/admin/tokens/purge'],
    ['POST', '/api/admin/clusters/recompute'],
    ['GET', '/api/admin/export'],
  ];
  for (const authorization of [undefined, '', 'Bearer', 'Bearer ', 'Bearer wrong', `Bearer ${ADMIN_KEY}x`, `bearer ${ADMIN_KEY}`, `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`, `Bearer ${'x'.repeat(5000)}`]) {
    for (const [method, path] of adminRoutes) cases.push({ method, path, authorization, legacy: path.endsWith('/export') && legacyRoutes });
  }
  const bearer = `Bearer ${ADMIN_KEY}`;
  for (const list of ['/api/admin/buildings', '/api/admin/interest-pool']) {
    for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1.5', 'page=1e999', 'page=NaN', 'page=2000000', 'limit=0', 'limit=101', 'limit=abc', 'limit=1e9', 'verified=yes', 'verified=1', 'email=no-at-sign', `email=${'a'.repeat(330)}%40example.ch`, 'extra=1', "page=1' OR 1=1 --", 'page[]=1&page[]=2', 'limit[$gt]=1', '__proto__[x]=1', 'constructor[prototype][x]=1']) {
      cases.push({ method: 'GET', path: `${list}?${encodeURI(query)}`, authorization: bearer });
    }
  }
  for (const id of ['no-such-building', 'x'.repeat(101), "'%20OR%201=1%20--", '%00', '..%2F..%2Fetc', '%3Cscript%3E', '%F0%9F%98%80']) {
    cases.push({ method: 'GET', path: `/api/admin/records/${id}`, authorization: bearer }, { method: 'DELETE', path: `/api/admin/records/${id}`, authorization: bearer });
  }
  for (const [method, path] of [['POST', '/health'], ['DELETE', '/health'], ['PUT', '/api/buildings'], ['GET', '/api/buildings'], ['GET', '/api/verification/confirm'], ['PATCH', '/api/potential'], ['GET', '/api/nothing-here'], ['GET', '/%'], ['GET', '/api/%E0%A4%A']]) {
    cases.push({ method, path });
  }
  for (const email of ['', 'no-at-sign', 'a@b', `${'a'.repeat(320)}@example.ch`, "' OR 1=1 --", '<script>alert(1)</script>']) {
    cases.push({ method: 'POST', path: '/unsubscribe', contentType: 'application/x-www-form-urlencoded', body: `email=${encodeURIComponent(email)}`, html: true });
  }
  if (legacyRoutes) {
    for (const path of ['/api/register_anonymous', '/api/register_full']) fieldMutations(path, true);
    for (const path of ['/api/check_potential', '/api/register_anonymous', '/api/register_full']) {
      for (const value of VALUES) cases.push({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify({ email: value, profile: value, address: value }), legacy: true });
      cases.push({ method: 'POST', path, contentType: 'application/json', body: nested(5000), legacy: true });
      cases.push({ method: 'POST', path, contentType: 'application/json', body: '{"a":', legacy: true });
    }
  }
  return cases;
}

type Answer = { status: number; contentType: string; body: string };

function send(service: ServiceProcess, testCase: Case): Promise<Answer> {
  return new Promise((resolveAnswer) => {
    const headers: Record<string, string | number> = {};
    if (testCase.authorization !== undefined) headers.authorization = testCase.authorization;
    if (testCase.contentType) headers['content-type'] = testCase.contentType;
    if (testCase.body !== undefined) headers['content-length'] = Buffer.byteLength(testCase.body);
    const req = request({ host: '127.0.0.1', port: service.port, path: testCase.path, method: testCase.method, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body }));
    });
    req.on('error', (error) => resolveAnswer({ status: 0, contentType: '', body: error.message }));
    req.end(testCase.body);
  });
}

const STACK = /\bat [\w.<>]+ \(|node_modules|\/src\/|QueryFailedError|TypeError|SyntaxError: Unexpected/;

function problem(testCase: Case, answer: Answer): string | undefined {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}`;
  if (STACK.test(answer.body)) return 'stack trace or internal detail';
  if (testCase.html) return answer.contentType.startsWith('text/html') ? undefined : `content-type ${answer.contentType}`;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return 'not JSON';
  }
  if (testCase.legacy) return typeof parsed.error === 'string' ? undefined : 'no {error}';
  const shaped = parsed.statusCode === answer.status && typeof parsed.error === 'string' && (typeof parsed.message === 'string' || Array.isArray(parsed.message));
  if (!shaped) return 'not the {statusCode, error, message} shape';
  if (testCase.profile && !/profile|address check/i.test(String(parsed.message))) return 'the message does not say that the profile is wrong';
  return undefined;
}

describe('Scenario 6: bad input', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    service = await startLoggedService('bad-input', {
      ...database.settings,
      APP_SECRET: TEST_APP_SECRET,
      ADMIN_API_KEY: ADMIN_KEY,
      RATE_LIMIT_ENABLED: 'false',
      TOKEN_PURGE_ENABLED: 'false',
      MAIL_WORKER_ENABLED: 'false',
      CLUSTER_RECOMPUTE_DEBOUNCE_MS: '50',
    });
    await service.waitForHealthy(30_000);
    db = await openDataSource(database.settings.DATABASE_URL);
    const seedBody = registrationBody({ buildingId: 'bad-input-seed', phone: null });
    recordSecrets([seedBody.email]);
    const seed = await fetch(`${service.url}/api/buildings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seedBody) });
    expect(seed.status).toBe(201);
  });

  afterAll(() => endScenario(() => db?.destroy(), () => database?.drop()));

  it('should answer every malformed request with a 4xx in the error shape and change nothing', async () => {
    // The recomputation after the seed (debounced) must be over: wait for two equal checksums 600 ms apart.
    let settled = await databaseChecksum(db);
    for (let i = 0; i < 20; i++) {
      await sleep(600);
      const again = await databaseChecksum(db);
      if (JSON.stringify(again) === JSON.stringify(settled)) break;
      settled = again;
    }
    const legacyProbe = await send(service, { method: 'POST', path: '/api/register_full', contentType: 'application/json', body: '{}' });
    const legacyRoutes = legacyProbe.status !== 404;
    const cases = corpus(legacyRoutes);
    const before = await databaseChecksum(db);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < cases.length) {
          const testCase = cases[next++];
          const answer = await send(service, testCase);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const wrong = problem(testCase, answer);
          if (wrong) failures.push(`${testCase.method} ${testCase.path} ${String(testCase.body ?? '').slice(0, 120)} → ${wrong}: ${answer.body.slice(0, 200)}`);
        }
      }),
    );
    const after = await databaseChecksum(db);
    const healthy = await fetch(`${service.url}/health`).then((response) => response.status);

    recordResult(__filename, {
      id: '6',
      scenario: 'Bad input',
      done: `${cases.length} generated malformed requests over every public route${legacyRoutes ? ' (legacy routes included)' : ''} and the admin routes: wrong types, missing/extra fields, __proto__/constructor keys, huge strings/arrays, 5000-deep JSON, invalid UTF-8, NaN/Infinity/exponents, SQL/HTML injection, out-of-range coordinates, signed profiles altered, hand-made, signed with another key, expired or swapped between buildings, owner figures outside their bounds, wrong-shape tokens, wrong content types, bodies over 1 MB; 8 in parallel`,
      checked: 'every answer 4xx, JSON {statusCode, error, message} (legacy: {error}; link pages: HTML), a refused profile named in the message, no stack trace; checksum of every table unchanged; still healthy',
      figures: `${cases.length} requests, statuses ${[...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status}×${count}`).join(' ')}; ${failures.length} wrong answers; database ${JSON.stringify(after) === JSON.stringify(before) ? 'unchanged' : 'CHANGED'}`,
    });
    expect(failures.slice(0, 40)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    expect(after).toEqual(before);
    expect(healthy).toBe(200);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllServiceProcesses, runToExit, ServiceProcess, startServiceProcess } from './helpers/service-process';
import { availableModes, createTestDatabase, TEST_APP_SECRET, TestDatabase } from './helpers/test-database';

/** A frame of a JavaScript stack trace, as printed by `error.stack`. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;
/** Nothing listens on port 1: should a bad setting be accepted, the start still cannot touch a real database. */
const UNREACHABLE_DATABASE = 'postgresql://postgres@127.0.0.1:1/postgres';
const PASSWORD = 's3cr3t-pw';

type BadSetting = { name: string; env: Record<string, string>; expected: string };

const BAD_SETTINGS: BadSetting[] = [
  { name: 'PORT=abc', env: { PORT: 'abc' }, expected: 'PORT must be an integer between 0 and 65535' },
  { name: 'PORT=70000', env: { PORT: '70000' }, expected: 'PORT must be an integer between 0 and 65535' },
  {
    name: 'DATABASE_URL=mysql://x',
    env: { DATABASE_URL: 'mysql://x', APP_SECRET: TEST_APP_SECRET },
    expected: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
  },
  {
    name: 'DATABASE_POOL_SIZE=0',
    env: { DATABASE_POOL_SIZE: '0' },
    expected: 'DATABASE_POOL_SIZE must be an integer between 1 and 100',
  },
  {
    name: 'CLUSTER_RECOMPUTE_MAX_WAIT_MS=soon',
    env: { CLUSTER_RECOMPUTE_MAX_WAIT_MS: 'soon' },
    expected: 'CLUSTER_RECOMPUTE_MAX_WAIT_MS must be an integer between 0 and 600000',
  },
  { name: 'MIGRATIONS_RUN=maybe', env: { MIGRATIONS_RUN: 'maybe' }, expected: 'MIGRATIONS_RUN must be true or false' },
  {
    name: 'LOG_LEVEL=loud',
    env: { LOG_LEVEL: 'loud' },
    expected: 'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent',
  },
  { name: 'LOG_FORMAT=fancy', env: { LOG_FORMAT: 'fancy' }, expected: 'LOG_FORMAT must be one of: json, pretty, auto' },
  {
    name: 'APP_BASE_URL=not-a-url',
    env: { APP_BASE_URL: 'not-a-url' },
    expected: 'APP_BASE_URL must be an http(s) URL such as https://leg.example.ch',
  },
  {
    name: 'ADDRESS_DIRECTORY=google',
    env: { ADDRESS_DIRECTORY: 'google' },
    expected: 'ADDRESS_DIRECTORY must be one of: geoadmin, offline',
  },
  {
    name: 'ADDRESS_AREA=5000-5999,Baden',
    env: { ADDRESS_AREA: '5000-5999,Baden' },
    expected: 'ADDRESS_AREA must be comma-separated postcodes (5400), postcode ranges (5000-5999) or canton abbreviations (AG): "Baden" is neither',
  },
  {
    name: 'GEOADMIN_TIMEOUT_MS=10',
    env: { GEOADMIN_TIMEOUT_MS: '10' },
    expected: 'GEOADMIN_TIMEOUT_MS must be an integer between 100 and 60000',
  },
  {
    name: 'ADDRESS_CACHE_TTL=week',
    env: { ADDRESS_CACHE_TTL: 'week' },
    expected: 'ADDRESS_CACHE_TTL must be a duration such as 7d, 12h, 90m or 3600s',
  },
  {
    name: 'TRUST_PROXY=uniquelocal',
    env: { TRUST_PROXY: 'uniquelocal' },
    expected: 'TRUST_PROXY must be a hop count (0 = no proxy in front, 1 = one reverse proxy) or a comma-separated list of proxy addresses/CIDRs',
  },
  {
    name: 'RATE_LIMIT_REGISTRATION=10',
    env: { RATE_LIMIT_REGISTRATION: '10' },
    expected: 'RATE_LIMIT_REGISTRATION must be requests per window such as 10/1h',
  },
  {
    name: 'REDIS_URL=localhost:6379',
    env: { REDIS_URL: 'localhost:6379' },
    expected: 'REDIS_URL must be a redis:// or rediss:// URL',
  },
  {
    name: 'DATABASE_URL without APP_SECRET',
    env: { DATABASE_URL: UNREACHABLE_DATABASE },
    expected: 'APP_SECRET must be set (at least 32 characters, e.g. openssl rand -hex 32) when DATABASE_URL is set',
  },
  {
    name: 'APP_SECRET too short',
    env: { DATABASE_URL: UNREACHABLE_DATABASE, APP_SECRET: 'short' },
    expected: 'APP_SECRET must be at least 32 characters',
  },
];

describe('Service configuration', () => {
  let dataDir: string;

  beforeAll(() => {
    // A data directory of its own, so that a setting accepted by mistake never writes into ./data.
    dataDir = mkdtempSync(join(tmpdir(), 'leg-config-'));
  });

  afterAll(async () => {
    await killAllServiceProcesses();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('with an invalid setting', () => {
    it.each(BAD_SETTINGS)('should refuse to start with $name, naming the variable and the accepted form', async ({ env, expected }) => {
      const result = await runToExit({ DATA_DIR: dataDir, ...env }, 15_000);

      // On failure Jest prints the whole result, output included.
      expect(result).toMatchObject({ timedOut: false, code: 1 });
      expect(result.stderr).toContain(expected);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result.stdout).not.toMatch(STACK_FRAME);
      expect(result.stdout).not.toMatch(/Listening on/);
      expect(result.durationMs).toBeLessThan(10_000);
    });

    it('should report every invalid setting at once', async () => {
      const result = await runToExit({ DATA_DIR: dataDir, PORT: 'abc', LOG_LEVEL: 'loud', MIGRATIONS_RUN: 'maybe' }, 15_000);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('PORT must be an integer');
      expect(result.stderr).toContain('LOG_LEVEL must be one of');
      expect(result.stderr).toContain('MIGRATIONS_RUN must be true or false');
    });
  });

  describe.each(availableModes())('with a valid configuration (%s database)', (mode) => {
    let database: TestDatabase;
    let service: ServiceProcess | undefined;

    beforeAll(async () => {
      database = await createTestDatabase(mode);
    });

    afterEach(async () => {
      await service?.stop(10_000);
      service = undefined;
    });

    afterAll(async () => {
      await killAllServiceProcesses();
      await database.drop();
    });

    it('should log which database it uses and never the password', async () => {
      const settings = { ...database.settings };
      if (settings.DATABASE_URL) {
        const url = new URL(settings.DATABASE_URL);
        url.password = PASSWORD; // trust authentication ignores it; the logs must not show it
        settings.DATABASE_URL = url.toString();
      }
      service = await startServiceProcess({ env: { APP_SECRET: TEST_APP_SECRET, ...settings } });
      await service.waitForHealthy(20_000);

      const expected =
        mode === 'server'
          ? new RegExp(`PostgreSQL server at 127\\.0\\.0\\.1:\\d+/${new URL(settings.DATABASE_URL).pathname.slice(1)}`)
          : /embedded PostgreSQL \(PGlite\) in /;
      expect(service.logs()).toMatch(expected);
      expect(service.logs()).toMatch(/"msg":"Listening on 127\.0\.0\.1:\d+/);
      // ADDRESS_DIRECTORY unset: the federal geodata for a deployment on a server, the demo gazetteer for a try-out.
      expect(service.logs()).toContain(
        mode === 'server'
          ? 'Address directory: geo.admin.ch at https://api3.geo.admin.ch, area 5000-5999'
          : 'Address directory: offline DEMO gazetteer (',
      );

      const exit = await service.stop(10_000);
      expect(exit).toMatchObject({ code: 0, timedOut: false });
      expect(service.logs()).not.toContain(PASSWORD);
      expect(service.logs()).not.toMatch(STACK_FRAME);
    });
  });
});

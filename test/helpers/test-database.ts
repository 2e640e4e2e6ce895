import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Env, validateEnv } from '../../src/config/env.validation';

export type DatabaseMode = 'server' | 'embedded';

/** A database of its own for one test suite: a fresh server database, or a copy of the migrated embedded template. */
export type TestDatabase = {
  mode: DatabaseMode;
  /** Settings that point the service at this database (DATABASE_URL or DATA_DIR). */
  settings: Record<string, string>;
  drop: () => Promise<void>;
};

export const TEST_APP_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** The modes this run can test: always the embedded one, the server too when TEST_DATABASE_URL is set. */
export function availableModes(): DatabaseMode[] {
  return process.env.TEST_DATABASE_URL ? ['server', 'embedded'] : ['embedded'];
}

/** The mode the bulk of the suite runs in: the server when TEST_DATABASE_URL is set. */
export function defaultMode(): DatabaseMode {
  return process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
}

/** The machine's PostgreSQL, for the scenarios that need a real server even in an embedded run. */
export const LOCAL_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || LOCAL_SERVER_URL;
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function createServerDatabase(): Promise<TestDatabase> {
  const name = `leg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const mailDir = mkdtempSync(join(tmpdir(), 'leg-data-'));
  return {
    mode: 'server',
    settings: { DATABASE_URL: withDatabaseName(adminUrl(), name), DATA_DIR: mailDir },
    drop: async () => {
      rmSync(mailDir, { recursive: true, force: true });
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

function createEmbeddedDatabase(empty: boolean): TestDatabase {
  const template = process.env.LEG_TEST_EMBEDDED_TEMPLATE;
  const dir = mkdtempSync(join(tmpdir(), 'leg-test-'));
  if (template && !empty) cpSync(template, dir, { recursive: true });
  return {
    mode: 'embedded',
    settings: { DATA_DIR: dir },
    drop: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/**
 * `empty`: an embedded directory without the migrated template (initdb happens on first open); a server
 * database is always created empty, and migrated when the app or a test runs the migrations.
 */
export async function createTestDatabase(mode: DatabaseMode = defaultMode(), options: { empty?: boolean } = {}): Promise<TestDatabase> {
  return mode === 'server' ? createServerDatabase() : createEmbeddedDatabase(options.empty ?? false);
}

/** A validated environment for tests: quiet logs, a fixed secret, timers that do not wait, the offline address directory. */
export function testEnv(database: TestDatabase, overrides: Record<string, string> = {}): Env {
  return validateEnv({
    APP_SECRET: TEST_APP_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    PORT: '0',
    HOST: '127.0.0.1',
    TOKEN_PURGE_ENABLED: 'false',
    CLUSTER_RECOMPUTE_DEBOUNCE_MS: '50',
    MAIL_POLL_INTERVAL_MS: '100',
    RATE_LIMIT_ENABLED: 'false',
    ADDRESS_DIRECTORY: 'offline',
    // Tests register many buildings from few mailboxes in quick succession; the caps have tests of their own.
    MAX_REGISTRATIONS_PER_MAILBOX: '100',
    MAIL_LIMIT_LINKS: '1000/1d',
    MAIL_QUIET_PERIOD: '0',
    ...database.settings,
    ...overrides,
  });
}

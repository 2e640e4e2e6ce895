import { readFileSync } from 'node:fs';
import type { TlsOptions } from 'node:tls';
import { DatabaseSslMode, Env } from '../config/env.validation';
import { EmbeddedPostgres } from './embedded-postgres';

/** Where the data lives: a PostgreSQL server from DATABASE_URL, or the embedded one in DATA_DIR. */
export type DatabaseTarget = {
  mode: 'server' | 'embedded';
  url: string;
  ssl: false | TlsOptions;
  poolSize: number;
  connectTimeoutMs: number;
  /** Safe to log: no password, no query string. */
  description: string;
  /** The embedded database's directory; undefined on a server. */
  dataDir?: string;
  close: () => Promise<void>;
};

/**
 * The embedded server runs one query at a time in one backend session, and it tells transactions
 * of different connections apart only loosely: under concurrent transactions from several
 * connections a queued transaction can be left waiting forever. One connection serialises them
 * in the pool instead, at no cost in throughput (PGlite is serial anyway).
 */
const EMBEDDED_POOL_SIZE = 1;
/** Connections the socket server accepts beyond the app's pool (a CLI command, a health probe). */
const EMBEDDED_SPARE_CONNECTIONS = 4;

const SSLMODE_TO_SETTING: Record<string, DatabaseSslMode> = {
  disable: 'disable',
  allow: 'disable',
  prefer: 'disable',
  require: 'require',
  'no-verify': 'require',
  'verify-ca': 'verify-full',
  'verify-full': 'verify-full',
};

function readCertificate(value: string): string {
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

function tlsOptions(mode: DatabaseSslMode, ca: string | undefined): false | TlsOptions {
  if (mode === 'disable') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  return ca ? { rejectUnauthorized: true, ca: readCertificate(ca) } : { rejectUnauthorized: true };
}

/**
 * `sslmode` in a URL silently overrides the `ssl` object given to `pg`, so it is taken out of the
 * URL and turned into explicit TLS options; DATABASE_SSL wins over the URL when both are set.
 */
export function serverTarget(env: Env, databaseUrl: string): Omit<DatabaseTarget, 'close'> {
  const url = new URL(databaseUrl);
  const sslmode = url.searchParams.get('sslmode');
  url.searchParams.delete('sslmode');
  const mode = env.DATABASE_SSL ?? SSLMODE_TO_SETTING[sslmode ?? 'disable'] ?? 'require';
  const port = url.port || '5432';
  return {
    mode: 'server',
    url: url.toString(),
    ssl: tlsOptions(mode, env.DATABASE_SSL_CA),
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    description: `PostgreSQL server at ${url.hostname}:${port}${url.pathname} (TLS: ${mode})`,
  };
}

export async function openDatabase(env: Env): Promise<DatabaseTarget> {
  if (env.DATABASE_URL) {
    return { ...serverTarget(env, env.DATABASE_URL), close: () => Promise.resolve() };
  }
  const embedded = await EmbeddedPostgres.start(env.DATA_DIR, {
    maxConnections: EMBEDDED_POOL_SIZE + EMBEDDED_SPARE_CONNECTIONS,
  });
  return {
    mode: 'embedded',
    url: embedded.url,
    ssl: false,
    poolSize: EMBEDDED_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    description: `embedded PostgreSQL (PGlite) in ${embedded.dataDir}, on a private Unix socket`,
    dataDir: embedded.dataDir,
    close: () => embedded.stop(),
  };
}


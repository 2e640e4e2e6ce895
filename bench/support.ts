/** Helpers for the benchmark run: statistics, child processes, /proc memory, HTTP, bulk data. */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { Pool } from 'pg';
import { GeneratedBuilding } from './generator';

export type Summary = { min: number; median: number; max: number; samples: number[] };

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1], samples };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** VmRSS and VmHWM (peak RSS since start or since resetPeak) of a process, in MiB. */
export function memoryOf(pid: number | 'self'): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS (Linux: "5" > clear_refs); false where the kernel refuses. */
export function resetPeak(pid: number | 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export type HttpResult = { status: number; headers: Record<string, string | string[] | undefined>; bytes: number; body: Buffer };

export function httpCall(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  timeoutMs = 600_000,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: all.length, body: all });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export type Child = {
  process: ChildProcess;
  pid: number;
  port: number;
  startedMs: number;
  healthyMs: number;
  output: () => string;
  /** The next output line matching `pattern` (written after this call). */
  nextLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
};

/**
 * Spawns a server process and waits until GET /health answers 200; the time from spawn to that
 * answer is the start-up time. stdout/stderr are drained (the last 64 KiB kept for errors).
 */
export async function startChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  timeoutMs = 120_000,
): Promise<Child> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-65_536);
    if (waiters.length === 0) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const index = waiters.findIndex((waiter) => waiter.pattern.test(line));
      if (index >= 0) waiters.splice(index, 1)[0].resolve(line);
    }
  };
  const nextLine = (pattern: RegExp, timeoutMs = 60_000): Promise<string> =>
    new Promise((resolve, reject) => {
      partial = '';
      const timer = setTimeout(() => {
        const index = waiters.findIndex((waiter) => waiter.resolve === done);
        if (index >= 0) waiters.splice(index, 1);
        reject(new Error(`no output line matching ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      waiters.push({ pattern, resolve: done });
    });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const state: { exited: number | null } = { exited: null };
  child.once('exit', (code) => (state.exited = code ?? -1));
  for (;;) {
    if (state.exited !== null) throw new Error(`${command} ${args.join(' ')} exited with ${state.exited}:\n${output}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${command} did not become healthy within ${timeoutMs} ms:\n${output}`);
    }
    const healthy = await httpCall(port, 'GET', '/health', {}, undefined, 2000).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) break;
    await sleep(20);
  }
  return { process: child, pid: child.pid ?? 0, port, startedMs: started, healthyMs: performance.now() - started, output: () => output, nextLine };
}

export function stopChild(child: Child, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
    child.process.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.process.kill('SIGTERM');
  });
}

export async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; output: string }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
  clearTimeout(timer);
  return { code, output };
}

// ---- bulk data, straight into PostgreSQL (never through HTTP) ----

export const RECORD_TABLES = ['buildings', 'interest_pool'] as const;

export async function clearData(pool: Pool): Promise<void> {
  await pool.query(
    'TRUNCATE buildings, interest_pool, tokens, mail_outbox, communities, community_buildings, community_contact_lists, community_contact_seeds, community_pending_changes, community_recomputation, map_cells, public_data_version',
  );
}

export type RecordTable = (typeof RECORD_TABLES)[number];

/** 60 % full registrations, 40 % interest pool. */
export const SIXTY_FORTY = (_building: GeneratedBuilding, index: number): RecordTable => (index % 5 < 3 ? 'buildings' : 'interest_pool');

/** Inserts the buildings in batches with unnest, each into the table `placement` names (by default 60 % / 40 %). */
export async function insertBuildings(
  pool: Pool,
  buildings: readonly GeneratedBuilding[],
  batchSize = 5000,
  placement: (building: GeneratedBuilding, index: number) => RecordTable = SIXTY_FORTY,
  analyse = true,
): Promise<void> {
  for (const table of RECORD_TABLES) {
    const rows = buildings.filter((building, i) => placement(building, i) === table);
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      await pool.query(
        `INSERT INTO ${table} (building_id, email, address, plz, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp, profile, verified, verified_at)
         SELECT id, email, address, plz, lat, lon, btype, kwh, kwp, profile::jsonb, verified, CASE WHEN verified THEN now() END
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::bool[])
           AS t(id, email, address, plz, lat, lon, btype, kwh, kwp, profile, verified)`,
        [
          batch.map((b) => b.building_id),
          batch.map((b) => b.email),
          batch.map((b) => b.address),
          batch.map((b) => b.plz),
          batch.map((b) => b.lat),
          batch.map((b) => b.lon),
          batch.map((b) => b.building_type),
          batch.map((b) => b.annual_consumption_kwh),
          batch.map((b) => b.potential_pv_kwp),
          batch.map(({ email: _e, verified: _v, ...profile }) => JSON.stringify(profile)),
          batch.map((b) => b.verified),
        ],
      );
    }
  }
  if (analyse) await pool.query('ANALYZE buildings; ANALYZE interest_pool');
}

/** `expired` expired verification tokens and `live` live ones (half verification, half unsubscribe), in batches. */
export async function insertTokens(pool: Pool, expired: number, live: number, buildingCount: number, batchSize = 250_000): Promise<void> {
  const run = Date.now().toString(36);
  const insert = async (label: string, total: number, kindSql: string, expirySql: string): Promise<void> => {
    for (let start = 0; start < total; start += batchSize) {
      const end = Math.min(total, start + batchSize);
      await pool.query(
        `INSERT INTO tokens (token_hash, kind, building_id, expires_at)
         SELECT encode(sha256(convert_to($1 || i, 'UTF8')), 'hex'), ${kindSql}, 'g' || (i % $4), ${expirySql}
         FROM generate_series($2::int, $3::int) AS i`,
        [`${run}:${label}:`, start + 1, end, Math.max(1, buildingCount)],
      );
    }
  };
  await insert('expired', expired, `'verification'`, `now() - interval '1 day' - (i % 1000) * interval '1 minute'`);
  await insert('live', live, `CASE WHEN i % 2 = 0 THEN 'verification' ELSE 'unsubscribe' END`, `CASE WHEN i % 2 = 0 THEN now() + interval '30 days' END`);
  await pool.query('ANALYZE tokens');
}

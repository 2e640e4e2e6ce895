/**
 * `npm run bench [-- --quick] [-- --profile]`: the benchmark suite (issue 7). Every figure is the
 * median of several repetitions with its min and max; service and raw baseline run interleaved in
 * the same run, so their ratio is meaningful on a small shared machine.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { buildCommunities } from '../src/communities/engine/communities';
import { CANTON, generateBuildings, legacyDatabase, seededRandom } from './generator';
import { Figure, printTable, RunReport, Target, updateDoc, writeJson } from './report';
import {
  Child,
  clearData,
  freePort,
  httpCall,
  insertBuildings,
  insertTokens,
  memoryOf,
  resetPeak,
  runCommand,
  sleep,
  startChild,
  stopChild,
  summarise,
} from './support';

const ROOT = join(__dirname, '..');
/** The compiled service under test; BENCH_SERVICE_ENTRY points elsewhere (e.g. a build of another commit). */
const SERVICE_ENTRY = process.env.BENCH_SERVICE_ENTRY ?? join(ROOT, 'dist/src/main.js');
const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
/** `--only=registration,purge` runs some sections (start-up, registration, purge, clustering, map, legacy); the docs are then left alone. */
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const runs = (section: string): boolean => !only || only.has(section);
const config = quick
  ? { reps: 1, regSeconds: 2, sizes: [1000, 5000], mapSizes: [5000], purgeExpired: 20_000, purgeLive: 2000, mapSeconds: 2, legacyRecords: 2000, concurrency: [1, 16, 64] }
  : { reps: 3, regSeconds: 6, sizes: [1000, 10_000, 100_000], mapSizes: [10_000, 100_000], purgeExpired: 1_000_000, purgeLive: 100_000, mapSeconds: 4, legacyRecords: 100_000, concurrency: [1, 16, 64] };
/** Keeps the full run under 15 minutes on a slow day: the third repetition is skipped past these. */
const RECOMPUTE_BUDGET_MS = 150_000;
const PURGE_BUDGET_MS = 150_000;
const APP_SECRET = randomBytes(24).toString('hex');
const ADMIN_KEY = randomBytes(16).toString('hex');

const figures: Figure[] = [];
const targets: Target[] = [];
const notes: string[] = [];

function record(section: string, name: string, unit: string, samples: number[]): Figure {
  const figure = { section, name, unit, ...summarise(samples) };
  figures.push(figure);
  return figure;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---- database ----

async function prepareDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, drop: () => Promise.resolve() };
  const admin = 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `leg_bench_${process.pid}_${Date.now().toString(36)}`;
  const pool = new Pool({ connectionString: admin, max: 1 });
  await pool.query(`CREATE DATABASE ${name}`);
  await pool.end();
  return {
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const dropPool = new Pool({ connectionString: admin, max: 1 });
      await dropPool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropPool.end();
    },
  };
}

// ---- processes ----

function serviceEnv(databaseUrl: string, port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    APP_SECRET,
    ADMIN_API_KEY: ADMIN_KEY,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    RATE_LIMIT_ENABLED: 'false',
    MAIL_WORKER_ENABLED: 'false',
    TOKEN_PURGE_ENABLED: 'false',
    CLUSTER_RECOMPUTE_DEBOUNCE_MS: '600000',
    MIGRATIONS_RUN: 'true',
    ...extra,
  };
}

async function startService(databaseUrl: string, extra: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  return startChild(process.execPath, [...nodeArgs, SERVICE_ENTRY], serviceEnv(databaseUrl, port, extra), port);
}

async function startBaseline(databaseUrl: string): Promise<Child> {
  const port = await freePort();
  return startChild(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench/baseline-server.ts')],
    { PATH: process.env.PATH, BASELINE_DATABASE_URL: databaseUrl, APP_SECRET, PORT: String(port), POOL_SIZE: '10', TS_NODE_TRANSPILE_ONLY: 'true' },
    port,
  );
}

// ---- HTTP load ----

const positions = (() => {
  const random = seededRandom(99);
  return Array.from({ length: 4096 }, () => ({
    lat: CANTON.minLat + random() * (CANTON.maxLat - CANTON.minLat),
    lon: CANTON.minLon + random() * (CANTON.maxLon - CANTON.minLon),
  }));
})();
let registrationCounter = 0;

function registrationBody(prefix: string): string {
  const n = registrationCounter++;
  const { lat, lon } = positions[n % positions.length];
  return JSON.stringify({
    email: `bench${n}@example.ch`,
    profile: {
      building_id: `${prefix}${n}`,
      lat,
      lon,
      address: `Lastweg ${n % 300}, 5000 Aarau`,
      plz: 5000,
      building_type: 'single_family',
      annual_consumption_kwh: 4500,
      potential_pv_kwp: 9.5,
    },
  });
}

type Load = { rps: number; p50: number; p99: number; ok: number; failed: number };

function toLoad(result: autocannon.Result, okStatus: (status: string) => boolean = (s) => s === '2xx'): Load {
  const ok = okStatus('2xx') ? result['2xx'] : result['3xx'];
  return { rps: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, ok, failed: result.non2xx - (okStatus('2xx') ? 0 : result['3xx']) + result.errors + result.timeouts };
}

function registrationLoad(port: number, connections: number, seconds: number, prefix: string): { stop: () => void; done: Promise<autocannon.Result> } {
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/interest-pool',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: registrationBody(prefix) }),
          },
        ],
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
  return { stop: () => instance?.stop(), done };
}

async function registrations(port: number, connections: number, seconds: number, prefix: string): Promise<Load> {
  const load = toLoad(await registrationLoad(port, connections, seconds, prefix).done);
  if (load.failed > 0) notes.push(`${load.failed} failed registrations (${prefix}, c=${connections})`);
  return load;
}

// ---- measurements ----

async function measureStartup(databaseUrl: string): Promise<Child> {
  const section = '6. Start-up and footprint';
  if (!runs('start-up')) return startService(databaseUrl, {}, profile ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, 'bench/results/profiles')] : []);
  log('start-up on PostgreSQL (first start runs the migrations)');
  const first = await startService(databaseUrl);
  record(section, 'first start on an empty database (incl. migrations) → /health 200', 'ms', [first.healthyMs]);
  await stopChild(first);
  const times: number[] = [];
  const rss: number[] = [];
  let service: Child | undefined;
  for (let i = 0; i < config.reps + 1; i++) {
    if (service) await stopChild(service);
    const last = i === config.reps;
    service = await startService(databaseUrl, {}, last && profile ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, 'bench/results/profiles')] : []);
    if (i === 0) continue; // the page cache warm-up
    times.push(service.healthyMs);
    rss.push(memoryOf(service.pid).rssMb);
  }
  record(section, 'start with a migrated database → /health 200', 'ms', times);
  record(section, 'RSS after start', 'MiB', rss);

  log('start-up on the embedded database');
  const dataDir = mkdtempSync(join(tmpdir(), 'leg-bench-embedded-'));
  try {
    const embeddedEnv = { DATABASE_URL: '', DATA_DIR: dataDir };
    const cold = await startService('', embeddedEnv);
    record(section, 'embedded: first start (initdb + migrations) → /health 200', 'ms', [cold.healthyMs]);
    await stopChild(cold);
    const warm: number[] = [];
    const warmRss: number[] = [];
    for (let i = 0; i < config.reps; i++) {
      const child = await startService('', embeddedEnv);
      warm.push(child.healthyMs);
      warmRss.push(memoryOf(child.pid).rssMb);
      await stopChild(child);
    }
    record(section, 'embedded: start with a migrated data directory → /health 200', 'ms', warm);
    record(section, 'embedded: RSS after start (service + PGlite in one process)', 'MiB', warmRss);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return service!;
}

async function measureRegistrations(service: Child, baseline: Child): Promise<void> {
  const section = '1. Registration (POST /api/interest-pool, distinct buildings)';
  log('registration warm-up');
  await registrations(service.port, 16, quick ? 1 : 3, 'warm-s-');
  await registrations(baseline.port, 16, quick ? 1 : 3, 'warm-b-');
  const results = new Map<string, Load[]>();
  for (let rep = 0; rep < config.reps; rep++) {
    for (const connections of config.concurrency) {
      const order: ['service' | 'baseline', Child][] = rep % 2 ? [['baseline', baseline], ['service', service]] : [['service', service], ['baseline', baseline]];
      for (const [who, child] of order) {
        log(`registration ${who} c=${connections} rep ${rep + 1}/${config.reps}`);
        const load = await registrations(child.port, connections, config.regSeconds, `${who[0]}${rep}c${connections}-`);
        const key = `${who}:${connections}`;
        results.set(key, [...(results.get(key) ?? []), load]);
      }
    }
  }
  for (const connections of config.concurrency) {
    for (const who of ['service', 'baseline']) {
      const loads = results.get(`${who}:${connections}`) ?? [];
      record(section, `${who} c=${connections}: throughput`, 'req/s', loads.map((l) => l.rps));
      record(section, `${who} c=${connections}: p50 latency`, 'ms', loads.map((l) => l.p50));
      record(section, `${who} c=${connections}: p99 latency`, 'ms', loads.map((l) => l.p99));
    }
    const service = results.get(`service:${connections}`) ?? [];
    const base = results.get(`baseline:${connections}`) ?? [];
    const ratio = record(section, `service/baseline c=${connections}: throughput ratio (per repetition)`, '%', service.map((l, i) => (100 * l.rps) / base[i].rps));
    if (connections === 64) {
      targets.push({ name: 'registration throughput at c=64, service/baseline', goal: '≥ 60 %', value: `${ratio.median.toFixed(0)} %`, met: ratio.median >= 60 });
    }
    if (connections === 16) {
      const p99 = summarise(service.map((l) => l.p99)).median;
      targets.push({ name: 'registration p99 at c=16 (service)', goal: '< 50 ms', value: `${p99.toFixed(0)} ms`, met: p99 < 50 });
    }
  }
}

async function measureMap(service: Child, size: number): Promise<void> {
  const section = `2. Map read (GET /api/map/buildings) at ${size.toLocaleString('en-US')} records`;
  const path = '/api/map/buildings';
  const cold: number[] = [];
  for (let i = 0; i < config.reps; i++) {
    // a change to the data invalidates the prepared response: the next read rebuilds it
    await pool!.query(`UPDATE buildings SET updated_at = now() WHERE building_id = (SELECT min(building_id) FROM buildings)`);
    const t = performance.now();
    const response = await httpCall(service.port, 'GET', path, { 'accept-encoding': 'gzip' });
    cold.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`map read answered ${response.status}`);
  }
  record(section, 'first read after a change (prepares JSON + gzip)', 'ms', cold);
  const gzip = await httpCall(service.port, 'GET', path, { 'accept-encoding': 'gzip' });
  const plain = await httpCall(service.port, 'GET', path, { 'accept-encoding': 'identity' });
  record(section, 'response bytes, gzip', 'KiB', [gzip.bytes / 1024]);
  record(section, 'response bytes, uncompressed', 'KiB', [plain.bytes / 1024]);
  const etag = String(gzip.headers.etag ?? '');
  const runs: Record<string, { headers: Record<string, string>; loads: Load[]; status: string }> = {
    'full response, gzip': { headers: { 'accept-encoding': 'gzip' }, loads: [], status: '2xx' },
    'full response, uncompressed': { headers: { 'accept-encoding': 'identity' }, loads: [], status: '2xx' },
    '304 (If-None-Match)': { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag }, loads: [], status: '3xx' },
  };
  for (let rep = 0; rep < config.reps; rep++) {
    for (const [name, run] of Object.entries(runs)) {
      log(`map ${size} ${name} rep ${rep + 1}`);
      const result = await autocannon({ url: `http://127.0.0.1:${service.port}${path}`, connections: 1, duration: config.mapSeconds, headers: run.headers, timeout: 30 });
      run.loads.push(toLoad(result, (s) => s === run.status));
    }
  }
  for (const [name, run] of Object.entries(runs)) {
    record(section, `${name}: p50 (c=1)`, 'ms', run.loads.map((l) => l.p50));
    record(section, `${name}: p99 (c=1)`, 'ms', run.loads.map((l) => l.p99));
    record(section, `${name}: throughput (c=1)`, 'req/s', run.loads.map((l) => l.rps));
  }
  if (size === 100_000) {
    const p50 = summarise(runs['full response, gzip'].loads.map((l) => l.p50)).median;
    targets.push({ name: 'map read at 100 000: p50 of a full response (gzip)', goal: '< 150 ms', value: `${p50.toFixed(0)} ms`, met: p50 < 150 });
    record('6. Start-up and footprint', 'RSS after the map read at 100 000', 'MiB', [memoryOf(service.pid).rssMb]);
  }
}

function measureEngine(size: number): void {
  const section = '3. Clustering';
  const buildings = generateBuildings(size);
  const reps = size >= 100_000 ? config.reps : config.reps + 2;
  const times: number[] = [];
  const peaks: number[] = [];
  let communities = 0;
  buildCommunities(buildings.slice(0, 500), { radiusM: 150, minSamples: 2 }); // JIT warm-up
  for (let i = 0; i < reps; i++) {
    global.gc?.();
    const before = memoryOf('self').rssMb;
    const canReset = resetPeak('self');
    const t = performance.now();
    communities = buildCommunities(buildings, { radiusM: 150, minSamples: 2 }).length;
    times.push(performance.now() - t);
    if (canReset) peaks.push(memoryOf('self').peakMb - before);
  }
  record(section, `engine only (buildCommunities), ${size.toLocaleString('en-US')} buildings → ${communities} communities`, 'ms', times);
  if (peaks.length) record(section, `engine only, ${size.toLocaleString('en-US')}: peak RSS growth during the run`, 'MiB', peaks);
  if (size === 100_000) {
    const median = summarise(times).median;
    targets.push({ name: 'engine on 100 000 buildings', goal: '< 1 s', value: `${(median / 1000).toFixed(2)} s`, met: median < 1000 });
  }
}

/** Where a recomputation gives up waiting (the service is then restarted, its transaction rolled back). */
const FIRST_RECOMPUTE_TIMEOUT_MS = quick ? 60_000 : 90_000;

async function recomputeOnce(service: Child, timeoutMs = 600_000): Promise<{ ms: number; peakMb?: number; body: string }> {
  let canReset = resetPeak(service.pid);
  let t = performance.now();
  let response = await httpCall(service.port, 'POST', '/api/admin/clusters/recompute', { authorization: `Bearer ${ADMIN_KEY}` }, undefined, timeoutMs);
  // {"ran":false}: a recomputation started by the service itself (at boot) holds the job lock; wait for it
  while (response.status === 200 && response.body.toString().includes('"ran":false') && performance.now() - t < timeoutMs) {
    await sleep(250);
    canReset = resetPeak(service.pid);
    t = performance.now();
    response = await httpCall(service.port, 'POST', '/api/admin/clusters/recompute', { authorization: `Bearer ${ADMIN_KEY}` }, undefined, timeoutMs);
  }
  const ms = performance.now() - t;
  if (response.status !== 200) throw new Error(`recompute answered ${response.status}: ${response.body.toString()}`);
  return { ms, peakMb: canReset ? memoryOf(service.pid).peakMb : undefined, body: response.body.toString() };
}

/**
 * The first recomputation on fresh data queues the contact e-mails of every community with two or
 * more confirmed full registrations (one sample, bounded by FIRST_RECOMPUTE_TIMEOUT_MS); the
 * repetitions after it find nothing new to tell and measure read, cluster, rank and write.
 * Returns the service, restarted if the first recomputation had to be abandoned.
 */
async function measureRecompute(service: Child, size: number, databaseUrl: string): Promise<Child> {
  const section = '3. Clustering';
  const label = size.toLocaleString('en-US');
  const peaks: number[] = [];
  try {
    const first = await recomputeOnce(service, FIRST_RECOMPUTE_TIMEOUT_MS);
    const queued = (JSON.parse(first.body) as { notifications?: number }).notifications ?? 0;
    log(`recompute ${size} (first): ${Math.round(first.ms)} ms ${first.body}`);
    record(section, `first recomputation, ${label} buildings (queues ${queued} contact e-mails)`, 'ms', [first.ms]);
  } catch (error) {
    const mails = await pool!.query<{ n: string }>('SELECT count(*) AS n FROM buildings WHERE verified');
    notes.push(
      `First recomputation at ${label} buildings did not finish within ${FIRST_RECOMPUTE_TIMEOUT_MS / 1000} s (${(error as Error).message}); ` +
        `it has to queue one contact e-mail per confirmed full registration in a community (${mails.rows[0].n} confirmed), each listing every confirmed member. ` +
        'The service was restarted and the confirmations removed, so the repetitions below measure the recomputation without contact e-mails.',
    );
    log(`recompute ${size} (first) abandoned: ${(error as Error).message}`);
    service.process.kill('SIGKILL');
    await stopChild(service);
    // before the restart: the new process recomputes at boot (the stored result is stale)
    await pool!.query('UPDATE buildings SET verified = false, verified_at = NULL WHERE verified');
    service = await startService(databaseUrl);
  }
  const times: number[] = [];
  const began = performance.now();
  for (let i = 0; i < config.reps && (i < 2 || performance.now() - began < RECOMPUTE_BUDGET_MS); i++) {
    const run = await recomputeOnce(service);
    times.push(run.ms);
    if (run.peakMb !== undefined) peaks.push(run.peakMb);
    log(`recompute ${size}: ${Math.round(run.ms)} ms ${run.body}`);
  }
  record(section, `recomputation, nothing new to tell (read, cluster, rank, write), ${label} buildings`, 'ms', times);
  if (peaks.length) record(section, `recomputation, ${label}: peak RSS of the service`, 'MiB', peaks);
  if (size === 100_000) {
    const median = summarise(times).median;
    targets.push({ name: 'full recomputation on 100 000 buildings (no new contact e-mails)', goal: '< 10 s', value: `${(median / 1000).toFixed(2)} s`, met: median < 10_000 });
  }
  return service;
}

async function measurePurge(service: Child): Promise<void> {
  const section = `4. Token purge (${config.purgeExpired.toLocaleString('en-US')} expired + ${config.purgeLive.toLocaleString('en-US')} live tokens)`;
  const purgeTimes: number[] = [];
  const removed: number[] = [];
  const during: number[] = [];
  const outside: number[] = [];
  const began = performance.now();
  for (let rep = 0; rep < config.reps && (rep < 2 || performance.now() - began < PURGE_BUDGET_MS); rep++) {
    log(`purge rep ${rep + 1}: inserting tokens`);
    await pool!.query('TRUNCATE tokens');
    await insertTokens(pool!, config.purgeExpired, config.purgeLive, 100_000);
    log('purge: registrations outside the purge');
    outside.push((await registrations(service.port, 16, quick ? 2 : 5, `po${rep}-`)).p99);
    log('purge: registrations during the purge');
    const load = registrationLoad(service.port, 16, 600, `pd${rep}-`);
    await sleep(300);
    const t = performance.now();
    const response = await httpCall(service.port, 'POST', '/api/admin/tokens/purge', { authorization: `Bearer ${ADMIN_KEY}` });
    purgeTimes.push(performance.now() - t);
    load.stop();
    const result = toLoad(await load.done);
    during.push(result.p99);
    removed.push((JSON.parse(response.body.toString()) as { removed: number }).removed);
    log(`purge: ${Math.round(purgeTimes[rep])} ms, ${response.body.toString()}, p99 during ${result.p99} ms`);
  }
  record(section, 'purge time (with registrations running)', 'ms', purgeTimes);
  record(section, 'tokens removed', 'tokens', removed);
  record(section, 'registration p99 (c=16) outside the purge', 'ms', outside);
  record(section, 'registration p99 (c=16) during the purge', 'ms', during);
  const p99 = summarise(during).median;
  targets.push({ name: 'registration p99 during the token purge', goal: '< 100 ms', value: `${p99.toFixed(0)} ms`, met: p99 < 100 });
}

async function measureLegacyImport(databaseUrl: string): Promise<void> {
  const section = `5. Legacy import (${config.legacyRecords.toLocaleString('en-US')}-record database.json)`;
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  if (!scripts['import:legacy']) {
    notes.push('Legacy import not measured: importer not available in this run (no `import:legacy` script).');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'leg-bench-legacy-'));
  try {
    const file = join(dir, 'database.json');
    writeFileSync(file, JSON.stringify(legacyDatabase(generateBuildings(config.legacyRecords, 23, 'legacy'))));
    const times: number[] = [];
    const peaks: number[] = [];
    for (let rep = 0; rep < config.reps; rep++) {
      await clearData(pool!);
      log(`legacy import rep ${rep + 1}`);
      const t = performance.now();
      const run = await runCommand('/usr/bin/time', ['-v', 'npm', 'run', '--silent', 'import:legacy', '--', '--db', file], serviceEnv(databaseUrl, 0, { MIGRATIONS_RUN: 'false' }), 600_000);
      times.push(performance.now() - t);
      if (run.code !== 0) {
        notes.push(`Legacy import failed (exit ${run.code}): ${run.output.slice(-600).replace(/\s+/g, ' ')}`);
        return;
      }
      const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.output)?.[1] ?? NaN);
      peaks.push(peakKb / 1024);
    }
    record(section, 'import time (npm run import:legacy, incl. process start)', 'ms', times);
    record(section, 'peak RSS of the import process', 'MiB', peaks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the run ----

let pool: Pool | undefined;

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

async function main(): Promise<void> {
  const began = performance.now();
  if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run \`npm run build\` first`);
  const database = await prepareDatabase();
  pool = new Pool({ connectionString: database.url, max: 4 });
  const children: Child[] = [];
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    let service = await measureStartup(database.url);
    children.push(service);
    /** A failed section is reported in the notes and the run goes on (with a new service process if it died). */
    const guarded = async (name: string, work: () => Promise<void>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        const dead = service.process.exitCode !== null || service.process.signalCode !== null;
        notes.push(`Section "${name}" failed: ${(error as Error).message.split('\n')[0]}${dead ? ' (the service process had exited; restarted)' : ''}`);
        log(`section ${name} failed: ${(error as Error).stack ?? String(error)}\n${service.output().slice(-3000)}`);
        if (dead) {
          service = await startService(database.url);
          children.push(service);
        }
      }
    };
    if (runs('registration')) {
      await guarded('registration', async () => {
        const baseline = await startBaseline(database.url);
        children.push(baseline);
        try {
          await measureRegistrations(service, baseline);
        } finally {
          await stopChild(baseline);
        }
      });
    }

    if (runs('purge')) await guarded('purge', () => measurePurge(service));

    const clusterSizes = runs('clustering') ? config.sizes : [];
    const mapSizes = runs('map') ? config.mapSizes : [];
    for (const size of clusterSizes) {
      log(`engine ${size}`);
      measureEngine(size);
    }
    for (const size of [...new Set([...clusterSizes, ...mapSizes])].sort((a, b) => a - b)) {
      log(`loading ${size} buildings`);
      await clearData(pool);
      await insertBuildings(pool, generateBuildings(size));
      if (clusterSizes.includes(size)) {
        await guarded(`recompute ${size}`, async () => {
          const current = await measureRecompute(service, size, database.url);
          if (current !== service) children.push(current);
          service = current;
        });
      }
      if (mapSizes.includes(size)) await guarded(`map ${size}`, () => measureMap(service, size));
    }

    if (runs('legacy')) await guarded('legacy import', () => measureLegacyImport(database.url));
    const serverVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const report: RunReport = {
      meta: {
        date: new Date().toISOString(),
        mode: `${quick ? 'quick (checks that it runs; figures not comparable)' : 'full'}${only ? `, only ${[...only].join(', ')}` : ''}${profile ? ', with --cpu-prof' : ''}`,
        machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (shared with other work)`,
        'load average before / after': `${loadBefore} / ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
        node: process.version,
        postgresql: serverVersion,
        versions: `@nestjs/core ${versionOf('@nestjs/core')}, typeorm ${versionOf('typeorm')}, pg ${versionOf('pg')}, autocannon ${versionOf('autocannon')}`,
        service: SERVICE_ENTRY.replace(ROOT, '.'),
        commit: (() => {
          try {
            return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
          } catch {
            return '?';
          }
        })(),
        repetitions: config.reps,
        'run time': `${((performance.now() - began) / 60_000).toFixed(1)} min`,
      },
      figures,
      targets,
      notes,
    };
    printTable(report);
    writeJson(report, join(ROOT, only ? 'bench/results/partial.json' : 'bench/results/latest.json'));
    if ((!quick && !only) || process.argv.includes('--write-docs')) updateDoc(report, join(ROOT, 'docs/BENCHMARKS.md'));
  } catch (error) {
    for (const child of children) {
      const state = child.process.exitCode ?? child.process.signalCode ?? 'running';
      process.stderr.write(`--- ${child.process.spawnargs.slice(-1)[0]} (pid ${child.pid}, ${state}), last output:\n${child.output().slice(-4000)}\n`);
    }
    throw error;
  } finally {
    for (const child of children) await stopChild(child);
    await pool.end();
    await database.drop();
  }
  if (profile) log('profiles are in bench/results/profiles');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

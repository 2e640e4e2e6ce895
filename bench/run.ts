/**
 * `npm run bench [-- --quick] [-- --profile]`: the benchmark suite (issue 7). Every figure is the
 * median of several repetitions with its min and max; service and raw baseline run interleaved in
 * the same run, so their ratio is meaningful on a small shared machine.
 */
import autocannon from 'autocannon';
import { execSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { buildCommunities } from '../src/communities/engine/communities';
import { generateToken, hashToken } from '../src/tokens/token-format';
import { CANTON, countryBuildings, GeneratedBuilding, generateBuildings, legacyDatabase, seededRandom } from './generator';
import { previousBuildCommunities } from './previous-engine';
import { BodyStock, ProfileSigning } from './registration-bodies';
import { Figure, printTable, RunReport, Target, updateDoc, writeJson } from './report';
import {
  Child,
  clearData,
  freePort,
  httpCall,
  insertBuildings,
  insertTokens,
  RecordTable,
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
/** `--scale [--scale-sizes=1000000,2000000]`: the country-scale run (up to 30 min), on its own. */
const scale = process.argv.includes('--scale');
const scaleSizesArg = process.argv.find((arg) => arg.startsWith('--scale-sizes='));
const SCALE_SIZES = scaleSizesArg ? scaleSizesArg.slice('--scale-sizes='.length).split(',').map(Number) : [1_000_000, 2_000_000];
const SCALE_CHANGES = 200;
const profile = process.argv.includes('--profile');
/** `--only=registration,purge` runs some sections (start-up, registration, purge, clustering, map, legacy); the docs are then left alone. */
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const runs = (section: string): boolean => !only || only.has(section);
const config = quick
  ? { reps: 1, regSeconds: 2, sizes: [1000, 5000], mapSizes: [5000], purgeExpired: 20_000, purgeLive: 2000, mapSeconds: 2, legacyRecords: 2000, concurrency: [1, 16, 64], incrementalChanges: 20 }
  : { reps: 3, regSeconds: 6, sizes: [1000, 10_000, 100_000], mapSizes: [10_000, 100_000], purgeExpired: 1_000_000, purgeLive: 100_000, mapSeconds: 4, legacyRecords: 100_000, concurrency: [1, 16, 64], incrementalChanges: 100 };
/** Keeps the full run under 15 minutes on a slow day: the third repetition is skipped past these. */
const RECOMPUTE_BUDGET_MS = 150_000;
const PURGE_BUDGET_MS = 150_000;
const APP_SECRET = randomBytes(24).toString('hex');
const ADMIN_KEY = randomBytes(16).toString('hex');

const figures: Figure[] = [];
const targets: Target[] = [];
const notes: string[] = [];
/** What makes the run fail (exit 1): failed sections, loads with too many failed requests. */
const failures: string[] = [];
/** More failed requests than this fraction of a load makes its figures meaningless: the run fails. */
const MAX_FAILED_FRACTION = 0.01;
const signing = new ProfileSigning(APP_SECRET);

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
    // The per-mailbox counters are still updated on every registration; loads re-register the same mailboxes.
    MAIL_LIMIT_LINKS: '999999/1d',
    MAIL_QUIET_PERIOD: '0',
    MAIL_WORKER_ENABLED: 'false',
    TOKEN_PURGE_ENABLED: 'false',
    CLUSTER_RECOMPUTE_DEBOUNCE_MS: '600000',
    MIGRATIONS_RUN: 'true',
    // registrations carry profiles signed by this service; no address look-ups leave the machine
    ADDRESS_DIRECTORY: 'offline',
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

/** Requests per second no load here reaches: the size of a stock of signed bodies. */
const BODIES_PER_SECOND = 1500;

/**
 * Distinct registrations for one load, signed before it starts (so the load measures registration,
 * not the bench signing). A load of more than a minute (the one during the purge) re-registers the
 * buildings of its first minute when it outruns its stock.
 */
function registrationStock(prefix: string, seconds: number): BodyStock {
  const count = Math.ceil(Math.min(seconds, 60) * BODIES_PER_SECOND) + 500;
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = registrationCounter++;
    const { lat, lon } = positions[n % positions.length];
    bodies.push(signing.body({ building_id: `${prefix}${n}`, lat, lon, address: `Lastweg ${n % 300}, 5000 Aarau`, plz: 5000 }, `bench${n}@example.ch`));
  }
  return new BodyStock(bodies);
}

type Load = { rps: number; p50: number; p99: number; ok: number; failed: number; statuses: Record<string, number> };

function toLoad(result: autocannon.Result, okStatus: (status: string) => boolean = (s) => s === '2xx'): Load {
  const ok = okStatus('2xx') ? result['2xx'] : result['3xx'];
  const statuses = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: result.non2xx - (okStatus('2xx') ? 0 : result['3xx']) + result.errors + result.timeouts,
    statuses: Object.fromEntries(Object.entries(statuses).map(([status, stat]) => [status, stat.count])),
  };
}

/**
 * A load whose requests failed beyond MAX_FAILED_FRACTION measured errors, not the service: throw,
 * naming the statuses and, when `probe` is given, what one more such request is answered.
 */
async function checkLoad(load: Load, label: string, probe?: () => Promise<string>): Promise<Load> {
  const total = load.ok + load.failed;
  if (total === 0) throw new Error(`${label}: no request completed`);
  if (load.failed / total <= MAX_FAILED_FRACTION) {
    if (load.failed > 0) notes.push(`${label}: ${load.failed} of ${total} requests failed (within ${MAX_FAILED_FRACTION * 100} %)`);
    return load;
  }
  const answer = probe ? `; a probe is answered ${await probe().catch((error: unknown) => (error as Error).message)}` : '';
  throw new Error(`${label}: ${load.failed} of ${total} requests failed (statuses ${JSON.stringify(load.statuses)})${answer}`);
}

function registrationLoad(port: number, connections: number, seconds: number, prefix: string): { stop: () => void; done: Promise<autocannon.Result> } {
  const stock = registrationStock(prefix, seconds);
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
        setupRequest: (req) => ({ ...req, body: stock.take() }),
          },
        ],
      },
      (error, result) => {
        if (stock.wrapped > 0) notes.push(`registrations ${prefix}: the load outran its ${BODIES_PER_SECOND}/s stock of signed bodies and re-registered buildings`);
        if (error) reject(error as Error);
        else resolve(result);
      },
    );
  });
  return { stop: () => instance?.stop(), done };
}

/** What the server answers one more registration like those of a failed load. */
function probeRegistration(port: number, prefix: string): () => Promise<string> {
  return async () => {
    const response = await httpCall(port, 'POST', '/api/interest-pool', { 'content-type': 'application/json' }, signing.body({ building_id: `${prefix}probe`, ...positions[0] }, 'probe@example.ch'));
    return `${response.status} ${response.body.toString().slice(0, 300)}`;
  };
}

async function registrations(port: number, connections: number, seconds: number, prefix: string): Promise<Load> {
  const load = toLoad(await registrationLoad(port, connections, seconds, prefix).done);
  return checkLoad(load, `registrations ${prefix} (c=${connections})`, probeRegistration(port, prefix));
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
  // not checked: a cold process may finish no request within the first seconds
  await registrationLoad(service.port, 16, quick ? 2 : 3, 'warm-s-').done;
  await registrationLoad(baseline.port, 16, quick ? 2 : 3, 'warm-b-').done;
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
    const p99Ratio = record(section, `service/baseline c=${connections}: p99 ratio (per repetition)`, '×', service.map((l, i) => l.p99 / base[i].p99));
    if (connections === 64) {
      targets.push({
        name: 'registration throughput at c=64, service / raw node:http+pg baseline',
        goal: '≥ 70 %',
        value: `${ratio.median.toFixed(0)} %`,
        baseline: `${summarise(base.map((l) => l.rps)).median.toFixed(0)} req/s (service ${summarise(service.map((l) => l.rps)).median.toFixed(0)} req/s)`,
        met: ratio.median >= 70,
      });
    }
    if (connections === 16) {
      targets.push({
        name: 'registration p99 at c=16, service / baseline',
        goal: '≤ 1.3×',
        value: `${p99Ratio.median.toFixed(2)}×`,
        baseline: `${summarise(base.map((l) => l.p99)).median.toFixed(0)} ms (service ${summarise(service.map((l) => l.p99)).median.toFixed(0)} ms)`,
        met: p99Ratio.median <= 1.3,
      });
    }
  }
}

/** A 1024 × 768 px screen of a web map at `zoom` centred on (lat, lon), as `bbox=minLon,minLat,maxLon,maxLat`. */
function viewportBox(lat: number, lon: number, zoom: number): string {
  const width = (1024 / 256) * (360 / 2 ** zoom);
  const height = (768 / 256) * (360 / 2 ** zoom) * Math.cos((lat * Math.PI) / 180);
  return [lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2].map((v) => v.toFixed(5)).join(',');
}

/** The centre of the densest 0.01° cell: where a viewport at high zoom shows the most markers. */
function densestPoint(buildings: readonly GeneratedBuilding[]): { lat: number; lon: number } {
  const counts = new Map<string, number>();
  let best = { key: '', count: 0 };
  for (const b of buildings) {
    const key = `${Math.floor(b.lat * 100)}:${Math.floor(b.lon * 100)}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > best.count) best = { key, count };
  }
  const [y, x] = best.key.split(':').map(Number);
  return { lat: (y + 0.5) / 100, lon: (x + 0.5) / 100 };
}

/** Zoom levels of the viewport reads: a canton (cells), a district (cells), a town quarter (markers). */
const VIEWPORT_ZOOMS = [9, 12, 15];

/** A change bumps the version of the public data (as the service does): the next read prepares its answer again. */
async function bumpPublicVersion(): Promise<void> {
  await pool!.query(
    `INSERT INTO public_data_version (id, version, changed_at) VALUES (1, 1, now())
     ON CONFLICT (id) DO UPDATE SET version = public_data_version.version + 1, changed_at = now()`,
  );
}

async function mapLoad(port: number, path: string, headers: Record<string, string>, status: '2xx' | '3xx', seconds: number, label: string): Promise<Load> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 1, duration: seconds, headers, timeout: 30 });
  return checkLoad(toLoad(result, (s) => s === status), label, async () => {
    const response = await httpCall(port, 'GET', path, headers);
    return `${response.status} ${response.body.toString().slice(0, 300)}`;
  });
}

async function measureMap(
  service: Child,
  size: number,
  centre: { lat: number; lon: number },
  zooms = VIEWPORT_ZOOMS,
  section = `2. Map read (GET /api/map/buildings) at ${size.toLocaleString('en-US')} records`,
): Promise<void> {
  const seconds = config.mapSeconds;
  const path = '/api/map/buildings';
  const viewports = zooms.map((zoom) => ({ zoom, path: `${path}?bbox=${viewportBox(centre.lat, centre.lon, zoom)}&zoom=${zoom}` }));
  const cold: number[] = [];
  const coldViewport: number[] = [];
  for (let i = 0; i < config.reps; i++) {
    await bumpPublicVersion();
    let t = performance.now();
    const response = await httpCall(service.port, 'GET', path, { 'accept-encoding': 'gzip' });
    cold.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`map read answered ${response.status}`);
    t = performance.now();
    const viewport = await httpCall(service.port, 'GET', viewports[1].path, { 'accept-encoding': 'gzip' });
    coldViewport.push(performance.now() - t);
    if (viewport.status !== 200) throw new Error(`viewport read answered ${viewport.status}: ${viewport.body.toString().slice(0, 300)}`);
  }
  record(section, 'full list: first read after a change (prepares JSON + gzip)', 'ms', cold);
  record(section, `viewport z${viewports[1].zoom}: first read after a change`, 'ms', coldViewport);
  const gzip = await httpCall(service.port, 'GET', path, { 'accept-encoding': 'gzip' });
  const plain = await httpCall(service.port, 'GET', path, { 'accept-encoding': 'identity' });
  record(section, 'full list: response bytes, gzip', 'KiB', [gzip.bytes / 1024]);
  record(section, 'full list: response bytes, uncompressed', 'KiB', [plain.bytes / 1024]);
  const runs: Record<string, { path: string; headers: Record<string, string>; loads: Load[]; status: '2xx' | '3xx' }> = {
    'GET /health (Nest + a database ping)': { path: '/health', headers: {}, loads: [], status: '2xx' },
    'full list, gzip': { path, headers: { 'accept-encoding': 'gzip' }, loads: [], status: '2xx' },
    'full list, uncompressed': { path, headers: { 'accept-encoding': 'identity' }, loads: [], status: '2xx' },
    'full list, 304 (If-None-Match)': { path, headers: { 'accept-encoding': 'gzip', 'if-none-match': String(gzip.headers.etag ?? '') }, loads: [], status: '3xx' },
  };
  for (const viewport of viewports) {
    const answer = await httpCall(service.port, 'GET', viewport.path, { 'accept-encoding': 'gzip' });
    const kind = viewport.zoom >= 14 ? 'markers' : 'cells';
    record(section, `viewport z${viewport.zoom} (${kind}): response bytes, gzip`, 'KiB', [answer.bytes / 1024]);
    runs[`viewport z${viewport.zoom} (${kind}), gzip`] = { path: viewport.path, headers: { 'accept-encoding': 'gzip' }, loads: [], status: '2xx' };
    runs[`viewport z${viewport.zoom}, 304 (If-None-Match)`] = {
      path: viewport.path,
      headers: { 'accept-encoding': 'gzip', 'if-none-match': String(answer.headers.etag ?? '') },
      loads: [],
      status: '3xx',
    };
  }
  for (let rep = 0; rep < config.reps; rep++) {
    for (const [name, run] of Object.entries(runs)) {
      log(`map ${size} ${name} rep ${rep + 1}`);
      run.loads.push(await mapLoad(service.port, run.path, run.headers, run.status, seconds, `map ${size} ${name}`));
    }
  }
  for (const [name, run] of Object.entries(runs)) {
    record(section, `${name}: p50 (c=1)`, 'ms', run.loads.map((l) => l.p50));
    record(section, `${name}: p99 (c=1)`, 'ms', run.loads.map((l) => l.p99));
    record(section, `${name}: throughput (c=1)`, 'req/s', run.loads.map((l) => l.rps));
  }
  if (size === config.mapSizes[config.mapSizes.length - 1] && section.startsWith('2.')) {
    const label = size.toLocaleString('en-US').replace(/,/g, ' ');
    const floor = summarise(runs['GET /health (Nest + a database ping)'].loads.map((l) => l.p50)).median;
    for (const name of ['full list, 304 (If-None-Match)', `viewport z${viewports[1].zoom}, 304 (If-None-Match)`]) {
      const p50 = summarise(runs[name].loads.map((l) => l.p50)).median;
      targets.push({
        name: `map 304 at ${label} records (${name.replace(', 304 (If-None-Match)', '')}), p50`,
        goal: '≤ 5 ms',
        value: `${p50.toFixed(0)} ms`,
        baseline: `GET /health p50 ${floor.toFixed(0)} ms`,
        met: p50 <= 5,
      });
    }
    record('6. Start-up and footprint', `RSS after the map reads at ${label}`, 'MiB', [memoryOf(service.pid).rssMb]);
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
  // the baseline: the engine before its rewrite (bench/previous-engine.ts), same data, same process
  const previous: number[] = [];
  previousBuildCommunities(buildings.slice(0, 500), { radiusM: 150, minSamples: 2 });
  for (let i = 0; i < reps; i++) {
    global.gc?.();
    const t = performance.now();
    previousBuildCommunities(buildings, { radiusM: 150, minSamples: 2 });
    previous.push(performance.now() - t);
  }
  record(section, `previous engine (before the rewrite), ${size.toLocaleString('en-US')} buildings`, 'ms', previous);
  const ratio = record(section, `engine / previous engine, ${size.toLocaleString('en-US')} buildings (per repetition)`, '×', times.map((t, i) => t / previous[i]));
  if (size === config.sizes[config.sizes.length - 1]) {
    const median = summarise(times).median;
    const label = size.toLocaleString('en-US').replace(/,/g, ' ');
    targets.push({
      name: `engine (buildCommunities), ${label} buildings`,
      goal: '≤ 0.3 s',
      value: `${(median / 1000).toFixed(2)} s (${ratio.median.toFixed(2)}× the previous engine)`,
      baseline: `previous engine ${(summarise(previous).median / 1000).toFixed(2)} s`,
      met: median <= 300,
    });
  }
}

/** Median of the full recomputation with nothing new to tell, per size: the baseline of the incremental work. */
const fullRecomputeMs = new Map<number, number>();

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
  let firstMs: number | undefined;
  let firstQueued = 0;
  try {
    const first = await recomputeOnce(service, FIRST_RECOMPUTE_TIMEOUT_MS);
    firstMs = first.ms;
    const queued = (JSON.parse(first.body) as { notifications?: number }).notifications ?? 0;
    firstQueued = queued;
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
  const median = summarise(times).median;
  fullRecomputeMs.set(size, median);
  if (size === config.sizes[config.sizes.length - 1]) {
    const label = size.toLocaleString('en-US').replace(/,/g, ' ');
    targets.push({
      name: `first recomputation at ${label} records, queueing its contact overviews`,
      goal: '≤ 10 s',
      value: firstMs === undefined ? 'did not finish' : `${(firstMs / 1000).toFixed(2)} s (${firstQueued} overviews, ${(firstMs / median).toFixed(1)}× a pass with nothing new)`,
      baseline: `full pass with nothing new to tell ${(median / 1000).toFixed(2)} s`,
      met: firstMs !== undefined && firstMs <= 10_000,
    });
  }
  return service;
}

const APPLIED = /Applied (\d+) changes in (\d+) ms/;

/**
 * The work after single changes: a service that recomputes at once (no debounce) receives one change
 * at a time, alternately a confirmation (the building joins or founds a community) and a registration
 * again of a confirmed full registration (it is unconfirmed again and leaves: a split or a member
 * less), and reports how long applying it took ("Applied 1 changes in N ms"). The baseline is the
 * full recomputation of the same data in the same run.
 */
async function measureIncremental(databaseUrl: string, size: number, changes: number, section = '3. Clustering'): Promise<{ p50: number; p99: number }> {
  const label = size.toLocaleString('en-US');
  const random = seededRandom(size + 17);
  type Sampled = { building_id: string; lat: number; lon: number; route: string };
  const pick = async (verified: boolean): Promise<Sampled[]> =>
    (
      await pool!.query<Sampled>(
        // a sample spread over the data, from both tables; a confirmed record registers again in its own table
        `SELECT * FROM (SELECT building_id, lat, lon, '/api/buildings' AS route FROM buildings WHERE verified = $2
         UNION ALL SELECT building_id, lat, lon, '/api/interest-pool' FROM interest_pool WHERE verified = $2) r
         ORDER BY md5(building_id) LIMIT $1`,
        [Math.ceil(changes / 2) * 4, verified],
      )
    ).rows;
  const unconfirmed = await pick(false);
  const confirmed = await pick(true);
  const service = await startService(databaseUrl, { CLUSTER_RECOMPUTE_DEBOUNCE_MS: '0', CLUSTER_RECOMPUTE_MAX_WAIT_MS: '0' });
  const work: number[] = [];
  const endToEnd: number[] = [];
  const joins: number[] = [];
  const leaves: number[] = [];
  try {
    for (let i = 0; i < changes; i++) {
      const join = i % 2 === 0;
      const list = join ? unconfirmed : confirmed;
      const building = list.splice(Math.floor(random() * list.length), 1)[0];
      if (!building) break;
      // A confirmation adds a member (or merges communities) in a debounced run that logs its work; an
      // erasure takes the member out (or splits) inside its own request, so its answer time is its work.
      const token = generateToken();
      if (join) {
        await pool!.query(`INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($1, 'verification', $2, now() + interval '1 day')`, [hashToken(token), building.building_id]);
        const applied = service.nextLine(APPLIED, 120_000);
        const t = performance.now();
        const response = await httpCall(service.port, 'POST', '/api/verification/confirm', { 'content-type': 'application/json' }, JSON.stringify({ token }));
        if (response.status >= 300) throw new Error(`change ${i} (confirmation) answered ${response.status}: ${response.body.toString().slice(0, 300)}`);
        const match = APPLIED.exec(await applied)!;
        endToEnd.push(performance.now() - t);
        if (match[1] !== '1') notes.push(`incremental ${label}: a run applied ${match[1]} changes at once`);
        work.push(Number(match[2]));
        joins.push(Number(match[2]));
      } else {
        await pool!.query(`INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($1, 'unsubscribe', $2, NULL)`, [hashToken(token), building.building_id]);
        const t = performance.now();
        const response = await httpCall(service.port, 'POST', '/api/unsubscribe', { 'content-type': 'application/json' }, JSON.stringify({ token }));
        if (response.status >= 300) throw new Error(`change ${i} (erasure) answered ${response.status}: ${response.body.toString().slice(0, 300)}`);
        const elapsed = performance.now() - t;
        endToEnd.push(elapsed);
        work.push(elapsed);
        leaves.push(elapsed);
      }
    }
  } finally {
    await stopChild(service);
  }
  const sorted = [...work].sort((a, b) => a - b);
  const quantile = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const p50 = quantile(0.5);
  const p99 = quantile(0.99);
  record(section, `incremental work after one change, ${label} records: p50 over ${work.length} changes`, 'ms', [p50]);
  record(section, `incremental work after one change, ${label} records: p99 over ${work.length} changes`, 'ms', [p99]);
  record(section, `incremental work, ${label}: confirmations (a member more, a merge)`, 'ms', joins);
  record(section, `incremental work, ${label}: erasures of confirmed records (a member less, a split; the whole request)`, 'ms', leaves);
  record(section, `change → its communities applied (HTTP request + run), ${label} records`, 'ms', endToEnd);
  return { p50, p99 };
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
    const result = await checkLoad(toLoad(await load.done), `registrations during the purge (rep ${rep + 1})`);
    if (response.status !== 200) throw new Error(`purge answered ${response.status}: ${response.body.toString().slice(0, 300)}`);
    during.push(result.p99);
    removed.push((JSON.parse(response.body.toString()) as { removed: number }).removed);
    log(`purge: ${Math.round(purgeTimes[rep])} ms, ${response.body.toString()}, p99 during ${result.p99} ms`);
  }
  record(section, 'purge time (with registrations running)', 'ms', purgeTimes);
  record(section, 'tokens removed', 'tokens', removed);
  record(section, 'registration p99 (c=16) outside the purge', 'ms', outside);
  record(section, 'registration p99 (c=16) during the purge', 'ms', during);
  const ratio = record(section, 'registration p99 (c=16) during / outside the purge (per repetition)', '×', during.map((p99, i) => p99 / outside[i]));
  targets.push({
    name: `registration p99 at c=16 during the purge of ${config.purgeExpired.toLocaleString('en-US')} tokens / outside it`,
    goal: '≤ 1.2×',
    value: `${ratio.median.toFixed(2)}× (${summarise(during).median.toFixed(0)} ms)`,
    baseline: `${summarise(outside).median.toFixed(0)} ms outside the purge`,
    met: ratio.median <= 1.2,
  });
}

/** One run of `npm run import:legacy` on a generated file: its time and the peak RSS of the import process. */
async function importLegacy(databaseUrl: string, dir: string, records: number): Promise<{ ms: number; peakMb: number }> {
  const file = join(dir, `database-${records}.json`);
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(legacyDatabase(generateBuildings(records, 23, 'legacy'))));
  await clearData(pool!);
  const t = performance.now();
  const run = await runCommand('/usr/bin/time', ['-v', 'npm', 'run', '--silent', 'import:legacy', '--', '--db', file], serviceEnv(databaseUrl, 0, { MIGRATIONS_RUN: 'false' }), 600_000);
  const ms = performance.now() - t;
  if (run.code !== 0) throw new Error(`legacy import failed (exit ${run.code}): ${run.output.slice(-600).replace(/\s+/g, ' ')}`);
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.output)?.[1] ?? NaN);
  return { ms, peakMb: peakKb / 1024 };
}

/**
 * The import of `legacyRecords` records, and once of a tenth of them as the baseline: an import in
 * bounded memory peaks at about the same RSS for both.
 */
async function measureLegacyImport(databaseUrl: string): Promise<void> {
  const section = `5. Legacy import (${config.legacyRecords.toLocaleString('en-US')}-record database.json)`;
  const dir = mkdtempSync(join(tmpdir(), 'leg-bench-legacy-'));
  try {
    const tenth = Math.round(config.legacyRecords / 10);
    log(`legacy import of ${tenth} records (baseline)`);
    const small = await importLegacy(databaseUrl, dir, tenth);
    record(section, `peak RSS of the import of ${tenth.toLocaleString('en-US')} records (a tenth; baseline)`, 'MiB', [small.peakMb]);
    const times: number[] = [];
    const peaks: number[] = [];
    for (let rep = 0; rep < config.reps; rep++) {
      log(`legacy import rep ${rep + 1}`);
      const run = await importLegacy(databaseUrl, dir, config.legacyRecords);
      times.push(run.ms);
      peaks.push(run.peakMb);
    }
    record(section, 'import time (npm run import:legacy, incl. process start)', 'ms', times);
    const peak = record(section, 'peak RSS of the import process', 'MiB', peaks);
    targets.push({
      name: `legacy import of ${config.legacyRecords.toLocaleString('en-US').replace(/,/g, ' ')} records, peak memory`,
      goal: '≤ 300 MiB',
      value: `${peak.median.toFixed(0)} MiB (${(peak.median / small.peakMb).toFixed(2)}× the import of a tenth)`,
      baseline: `${small.peakMb.toFixed(0)} MiB for ${tenth.toLocaleString('en-US').replace(/,/g, ' ')} records`,
      met: peak.median <= 300,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the scale run ----

/**
 * Confirmed records go to the interest pool, unconfirmed ones to the full registrations: the first
 * pass then queues no contact overviews (at 1 000 000 records that would be some 400 000 mails, and
 * section 3 measures that work at 100 000), while a confirmation during the run still tells its
 * neighbours as a full registration does.
 */
const SCALE_PLACEMENT = (building: GeneratedBuilding): RecordTable => (building.verified ? 'interest_pool' : 'buildings');

async function densestPointInDatabase(): Promise<{ lat: number; lon: number }> {
  const { rows } = await pool!.query<{ y: number; x: number }>(
    `SELECT floor(lat * 100)::int AS y, floor(lon * 100)::int AS x FROM (SELECT lat, lon FROM buildings UNION ALL SELECT lat, lon FROM interest_pool) r
     GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
  );
  return { lat: (rows[0].y + 0.5) / 100, lon: (rows[0].x + 0.5) / 100 };
}

/**
 * One size of the scale run: bulk load, full recomputation (time, peak RSS), incremental work after
 * SCALE_CHANGES single changes, viewport reads at three zoom levels, the full list, database size.
 */
async function measureScale(databaseUrl: string, size: number): Promise<void> {
  const label = size.toLocaleString('en-US').replace(/,/g, ' ');
  const section = `7. Scale: ${size.toLocaleString('en-US')} buildings over Switzerland`;
  await clearData(pool!);
  // started on empty tables, so that its start-up pass has nothing to do
  let service = await startService(databaseUrl);
  try {
    log(`scale ${size}: bulk load`);
    const t = performance.now();
    let batch: GeneratedBuilding[] = [];
    for (const building of countryBuildings(size)) {
      batch.push(building);
      if (batch.length === 50_000) {
        await insertBuildings(pool!, batch, 5000, SCALE_PLACEMENT, false);
        batch = [];
      }
    }
    await insertBuildings(pool!, batch, 5000, SCALE_PLACEMENT, false);
    await pool!.query('ANALYZE buildings; ANALYZE interest_pool');
    const loadMs = performance.now() - t;
    record(section, 'bulk load (generate, unnest batches of 5 000, ANALYZE)', 'ms', [loadMs]);
    record(section, 'bulk load rate', 'records/s', [size / (loadMs / 1000)]);

    log(`scale ${size}: full recomputation`);
    const first = await recomputeOnce(service, 1_800_000);
    log(`scale ${size}: first full pass ${Math.round(first.ms)} ms ${first.body}`);
    record(section, `full recomputation, first (${(JSON.parse(first.body) as { communities: number }).communities} communities)`, 'ms', [first.ms]);
    if (first.peakMb !== undefined) record(section, 'full recomputation, first: peak RSS of the service', 'MiB', [first.peakMb]);
    const again = await recomputeOnce(service, 1_800_000);
    record(section, 'full recomputation, again (nothing new)', 'ms', [again.ms]);
    const peak = Math.max(first.peakMb ?? NaN, again.peakMb ?? NaN);
    if (again.peakMb !== undefined) record(section, 'full recomputation, again: peak RSS of the service', 'MiB', [again.peakMb]);
    targets.push({
      name: `full recomputation at ${label} records: peak RSS of the service`,
      goal: '≤ 1.5 GiB',
      value: `${(peak / 1024).toFixed(2)} GiB (pass ${(first.ms / 1000).toFixed(1)} s, again ${(again.ms / 1000).toFixed(1)} s)`,
      met: peak <= 1536,
    });

    log(`scale ${size}: incremental work after ${SCALE_CHANGES} changes`);
    const { p50, p99 } = await measureIncremental(databaseUrl, size, SCALE_CHANGES, section);
    targets.push({
      name: `work after one change at ${label} records (incremental), p50`,
      goal: '≤ 50 ms',
      value: `${p50.toFixed(0)} ms (p99 ${p99.toFixed(0)} ms, ${((100 * p50) / again.ms).toFixed(2)} % of a full pass)`,
      baseline: `full recomputation ${(again.ms / 1000).toFixed(1)} s`,
      met: p50 <= 50,
    });

    log(`scale ${size}: map reads`);
    // the incremental run changed the data: the first reads below prepare their answers again
    if (service.process.exitCode !== null) service = await startService(databaseUrl);
    await measureMap(service, size, await densestPointInDatabase(), [8, 11, 15], section);

    const sizes = await pool!.query<{ name: string; bytes: string }>(
      `SELECT 'database' AS name, pg_database_size(current_database())::text AS bytes
       UNION ALL SELECT relname, pg_total_relation_size(oid)::text FROM pg_class
       WHERE relname IN ('buildings', 'interest_pool', 'communities', 'community_buildings', 'map_cells', 'tokens', 'mail_outbox')`,
    );
    for (const row of sizes.rows) {
      record(section, row.name === 'database' ? 'database size on disk' : `size on disk: ${row.name} (with indexes)`, 'MiB', [Number(row.bytes) / 2 ** 20]);
    }
  } finally {
    await stopChild(service);
  }
}

/** Steps of the property test in the scale run (CI runs 250). */
const SCALE_PROPERTY_STEPS = 2000;

/**
 * The property test of the incremental recomputation (test/services/incremental-recomputation.spec.ts),
 * run for many more random steps than in CI, against the PostgreSQL server: after every step the
 * incrementally kept state must equal a full recomputation.
 */
function runPropertyTest(): void {
  log(`property test: ${SCALE_PROPERTY_STEPS} random steps`);
  const t = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), '--runInBand', 'test/services/incremental-recomputation.spec.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
      PROPERTY_STEPS: String(SCALE_PROPERTY_STEPS),
      TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const ms = performance.now() - t;
  const passed = run.status === 0;
  record('8. Property test at length', `incremental against full recomputation, ${SCALE_PROPERTY_STEPS} random steps and the street test (jest, incl. start-up)`, 'ms', [ms]);
  targets.push({
    name: `property test: incremental state equals a full recomputation after each of ${SCALE_PROPERTY_STEPS} random steps`,
    goal: 'every step',
    value: passed ? `agreed at every step (${(ms / 1000).toFixed(0)} s)` : 'failed',
    met: passed,
  });
  if (!passed) {
    const failure = `Property test failed:\n${`${run.stdout}${run.stderr}`.slice(-4000)}`;
    log(failure);
    notes.push(failure.split('\n')[0]);
    failures.push(failure);
  }
}

async function mainScale(): Promise<void> {
  const began = performance.now();
  if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run \`npm run build\` first`);
  Object.assign(config, { reps: 1, mapSeconds: 5 });
  const database = await prepareDatabase();
  pool = new Pool({ connectionString: database.url, max: 4 });
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    // migrations: one start and stop on the empty database
    await stopChild(await startService(database.url));
    runPropertyTest();
    for (const size of SCALE_SIZES) {
      try {
        await measureScale(database.url, size);
      } catch (error) {
        const failure = `Scale ${size} failed: ${(error as Error).message.split('\n')[0]}`;
        log(`${failure}\n${(error as Error).stack ?? ''}`);
        notes.push(failure);
        failures.push(failure);
      }
    }
    const serverVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const report: RunReport = {
      meta: {
        ...runMeta(serverVersion, loadBefore, began),
        mode: `scale (${SCALE_SIZES.map((n) => n.toLocaleString('en-US')).join(', ')} buildings, ${SCALE_CHANGES} single changes each)`,
        repetitions: 1,
      },
      figures,
      targets,
      notes,
    };
    printTable(report);
    writeJson(report, join(ROOT, 'bench/results/scale.json'));
    if (failures.length > 0) {
      process.stderr.write(`\nscale run FAILED (${failures.length}):\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
      process.exitCode = 1;
    } else {
      updateDoc(report, join(ROOT, 'docs/BENCHMARKS.md'), 'bench:scale');
    }
  } finally {
    await pool.end();
    await database.drop();
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

/** The commit when the run started, i.e. the one `npm run bench` built (a commit made during a long run is not what it measured). */
const COMMIT = (() => {
  try {
    const dirty = execSync('git status --porcelain --untracked-files=no -- src migrations', { cwd: ROOT }).toString().trim() ? ' with uncommitted changes to src/' : '';
    return `${execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim()}${dirty}`;
  } catch {
    return '?';
  }
})();

function runMeta(serverVersion: string, loadBefore: string, began: number): Record<string, string | number> {
  return {
    date: new Date().toISOString(),
    mode: '',
    machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (shared with other work)`,
    'load average before / after': `${loadBefore} / ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    node: process.version,
    postgresql: serverVersion,
    versions: `@nestjs/core ${versionOf('@nestjs/core')}, typeorm ${versionOf('typeorm')}, pg ${versionOf('pg')}, autocannon ${versionOf('autocannon')}`,
    service: SERVICE_ENTRY.replace(ROOT, '.'),
    commit: COMMIT,
    repetitions: config.reps,
    'run time': `${((performance.now() - began) / 60_000).toFixed(1)} min`,
  };
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
        const failure = `Section "${name}" failed: ${(error as Error).message.split('\n')[0]}${dead ? ' (the service process had exited; restarted)' : ''}`;
        notes.push(failure);
        failures.push(failure);
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
      const buildings = generateBuildings(size);
      await insertBuildings(pool, buildings);
      if (clusterSizes.includes(size)) {
        await guarded(`recompute ${size}`, async () => {
          const current = await measureRecompute(service, size, database.url);
          if (current !== service) children.push(current);
          service = current;
        });
        await guarded(`incremental ${size}`, async () => {
          log(`incremental ${size}`);
          const { p50, p99 } = await measureIncremental(database.url, size, config.incrementalChanges);
          const full = fullRecomputeMs.get(size);
          if (size === config.sizes[config.sizes.length - 1]) {
            const label = size.toLocaleString('en-US').replace(/,/g, ' ');
            targets.push({
              name: `work after one change at ${label} records (incremental), p50`,
              goal: '≤ 50 ms',
              value: `${p50.toFixed(0)} ms (p99 ${p99.toFixed(0)} ms${full ? `, ${((100 * p50) / full).toFixed(1)} % of a full pass` : ''})`,
              baseline: full ? `full recomputation ${(full / 1000).toFixed(2)} s` : '–',
              met: p50 <= 50,
            });
          }
        });
      }
      if (mapSizes.includes(size)) await guarded(`map ${size}`, () => measureMap(service, size, densestPoint(buildings)));
    }

    if (runs('legacy')) await guarded('legacy import', () => measureLegacyImport(database.url));
    const serverVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const report: RunReport = {
      meta: {
        ...runMeta(serverVersion, loadBefore, began),
        mode: `${quick ? 'quick (checks that it runs; figures not comparable)' : 'full'}${only ? `, only ${[...only].join(', ')}` : ''}${profile ? ', with --cpu-prof' : ''}`,
      },
      figures,
      targets,
      notes,
    };
    printTable(report);
    writeJson(report, join(ROOT, only ? 'bench/results/partial.json' : 'bench/results/latest.json'));
    if (failures.length > 0) {
      // figures of errors are no figures: no document update, and a failing exit for CI
      process.stderr.write(`\nbench FAILED (${failures.length}):\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
      process.exitCode = 1;
    } else if ((!quick && !only) || process.argv.includes('--write-docs')) {
      updateDoc(report, join(ROOT, 'docs/BENCHMARKS.md'));
    }
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

(scale ? mainScale() : main()).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

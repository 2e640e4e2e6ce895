import { DataSource } from 'typeorm';
import { endScenario, openDataSource, recordResult, recordSecrets, sleep, startLoggedService } from '../helpers/reliability-run';
import { linkToken, readOutbox } from '../helpers/outbox';
import { registrationBody, uniqueBuildingId } from '../helpers/factories';
import { ServiceProcess } from '../helpers/service-process';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const DEBOUNCE_MS = 2000;
const MAX_WAIT_MS = 6000;
/** Twice as often as the debounce: without a maximum wait, no run would ever start. */
const CHANGE_EVERY_MS = 1000;
/** Well past the maximum wait plus a run, so that only the maximum wait can explain a run during it. */
const STREAM_MS = 16_000;
const POLL_MS = 50;
/** Timers of a busy process fire late: the service answers the stream while its run is due. */
const TIMER_LAG_MS = 250;

type Position = { lat: number; lon: number };
type Cluster = { community_id: string; members: Position[] };

/** The time and duration of each recomputation the service logged. */
function recomputations(service: ServiceProcess): { end: number; durationMs: number }[] {
  return service.stdout.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { time?: unknown; msg?: unknown };
      const match = typeof parsed.msg === 'string' ? /^Recomputed \d+ communities in (\d+) ms/.exec(parsed.msg) : null;
      return match && typeof parsed.time === 'number' ? [{ end: parsed.time, durationMs: Number(match[1]) }] : [];
    } catch {
      return [];
    }
  });
}

describe('Scenario 10: recomputation under a steady stream of changes', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    service = await startLoggedService('churn', {
      ...database.settings,
      APP_SECRET: TEST_APP_SECRET,
      RATE_LIMIT_ENABLED: 'false',
      TOKEN_PURGE_ENABLED: 'false',
      MAIL_WORKER_ENABLED: 'false',
      CLUSTER_RECOMPUTE_DEBOUNCE_MS: String(DEBOUNCE_MS),
      CLUSTER_RECOMPUTE_MAX_WAIT_MS: String(MAX_WAIT_MS),
    });
    await service.waitForHealthy(30_000);
    db = await openDataSource(database.settings.DATABASE_URL);
  });

  afterAll(() => endScenario(() => db?.destroy(), () => database?.drop()));

  const post = async (path: string, body: unknown): Promise<number> => {
    const response = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.arrayBuffer();
    return response.status;
  };
  let slowestPollMs = 0;
  const clusters = async (): Promise<Cluster[]> => {
    const asked = Date.now();
    const body = (await (await fetch(`${service.url}/api/clusters`)).json()) as { clusters: Cluster[] };
    slowestPollMs = Math.max(slowestPollMs, Date.now() - asked);
    return body.clusters;
  };
  /** Polls /api/clusters until `done` holds for its answer; the time it did, or undefined at the deadline. */
  const pollClusters = async (done: (answer: Cluster[]) => boolean, deadline: number): Promise<number | undefined> => {
    while (Date.now() < deadline) {
      if (done(await clusters())) return Date.now();
      await sleep(POLL_MS);
    }
    return undefined;
  };
  const links = async (buildingId: string): Promise<{ confirm: string; unsubscribe: string }> => {
    const mail = (await readOutbox(db)).find((candidate) => candidate.buildingId === buildingId && candidate.kind === 'verification')!;
    const tokens = { confirm: linkToken(mail, 'confirm'), unsubscribe: linkToken(mail, 'unsubscribe') };
    recordSecrets(Object.values(tokens));
    return tokens;
  };
  const register = async (body: ReturnType<typeof registrationBody>): Promise<void> => {
    recordSecrets([body.email]);
    expect(await post('/api/buildings', body)).toBe(201);
  };

  it('should remove an erased building from /api/clusters within the maximum wait plus one run while changes keep coming faster than the debounce', async () => {
    // Two confirmed neighbours, far from where the stream registers: their community is on the public map.
    const pair = [0, 0.0004].map((offset) => registrationBody({ buildingId: uniqueBuildingId('pair'), phone: null, lat: 47.4 + offset, lon: 8.2 }));
    for (const body of pair) await register(body);
    const [leaving, staying] = await Promise.all(pair.map((body) => links(body.profile.building_id)));
    for (const token of [leaving.confirm, staying.confirm]) expect(await post('/api/verification/confirm', { token })).toBe(200);
    expect(await pollClusters((answer) => answer.length === 1, Date.now() + 20_000)).toBeDefined();
    const [community] = await clusters();
    /** Whether the pair's (jittered) positions are still on the map. */
    const shown = (answer: Cluster[]): boolean =>
      answer.some((cluster) => cluster.members.some((member) => community.members.some((own) => own.lat === member.lat && own.lon === member.lon)));
    await sleep(DEBOUNCE_MS + 500); // nothing waiting: the erasure is the first change of the burst
    slowestPollMs = 0;

    // The person leaves; from then on a registration or a confirmation arrives every second elsewhere.
    expect(await post('/api/unsubscribe', { token: leaving.unsubscribe })).toBe(200);
    const erasedAt = Date.now();
    const streamEnd = erasedAt + STREAM_MS;
    const stream = (async () => {
      const unconfirmed: string[] = [];
      let changes = 0;
      for (let tick = 0; erasedAt + tick * CHANGE_EVERY_MS < streamEnd; tick++) {
        await sleep(erasedAt + tick * CHANGE_EVERY_MS - Date.now());
        if (tick % 2 === 1 && unconfirmed.length > 0) {
          expect(await post('/api/verification/confirm', { token: (await links(unconfirmed.shift()!)).confirm })).toBe(200);
        } else {
          const body = registrationBody({ buildingId: uniqueBuildingId('churn'), phone: null, lat: 47.45 + tick * 0.0002, lon: 8.35 });
          await register(body);
          unconfirmed.push(body.profile.building_id);
        }
        changes++;
      }
      return changes;
    })();
    const goneAt = await pollClusters((answer) => !shown(answer), streamEnd + DEBOUNCE_MS + 5000);
    const changes = await stream;

    const runs = recomputations(service);
    const removing = runs.find((run) => run.end >= erasedAt);
    const longestRunMs = Math.max(...runs.map((run) => run.durationMs));
    const delayMs = goneAt === undefined ? Infinity : goneAt - erasedAt;
    // Beyond the maximum wait and a run: what the poll adds to the observation (the pause between
    // two polls, the slowest answer) and the lag of a timer in a busy process.
    const boundMs = MAX_WAIT_MS + longestRunMs + POLL_MS + slowestPollMs + TIMER_LAG_MS;
    const runsDuringStream = runs.filter((run) => run.end >= erasedAt && run.end <= streamEnd).length;
    recordResult(__filename, {
      id: '10',
      scenario: 'Recomputation under a steady stream of changes',
      done: `two confirmed neighbours on the public map; one unsubscribes, then a registration or a confirmation every ${CHANGE_EVERY_MS} ms elsewhere for ${STREAM_MS / 1000} s (${changes} changes); CLUSTER_RECOMPUTE_DEBOUNCE_MS=${DEBOUNCE_MS}, CLUSTER_RECOMPUTE_MAX_WAIT_MS=${MAX_WAIT_MS}; /api/clusters polled every ${POLL_MS} ms`,
      checked: `the erased building leaves /api/clusters while the changes still arrive, within the maximum wait plus the longest run (plus the poll interval, the slowest poll answer and ${TIMER_LAG_MS} ms of timer lag)`,
      figures: `gone from /api/clusters ${goneAt === undefined ? 'never' : `${delayMs} ms`} after the unsubscribe (bound ${boundMs} ms = ${MAX_WAIT_MS} max wait + ${longestRunMs} longest run + ${POLL_MS} poll interval + ${slowestPollMs} slowest poll + ${TIMER_LAG_MS} timer lag); removing run ${removing ? `${removing.durationMs} ms` : 'none'}; ${runsDuringStream} recomputations during the ${STREAM_MS / 1000} s stream`,
    });

    expect(goneAt).toBeDefined();
    expect(goneAt!).toBeLessThan(streamEnd);
    expect(delayMs).toBeLessThanOrEqual(boundMs);
    expect(shown(await clusters())).toBe(false);
  });
});

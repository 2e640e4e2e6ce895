import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { endScenario, openDataSource, phoneForms, recordResult, recordSecrets, sleep, startLoggedService, uniquePhone } from '../helpers/reliability-run';
import { registrationBody, uniqueBuildingId } from '../helpers/factories';
import { ServiceProcess } from '../helpers/service-process';
import { SmtpTestServer, startSmtpTestServer } from '../helpers/smtp-test-server';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const REPLICAS = 3;
const PAIRS = 6;
const EXPIRED_TOKENS = 40;
/** Counted from all replicas healthy: several purge ticks (every 2 s) and the boot purge (10 s after start). */
const MIN_RUN_MS = 13_000;
/** How far two consecutive recomputations may seem to overlap from outside (see below). */
const HANDOVER_MS = 25;

/** What a recomputation logs when it has done something: a full pass, or the noted changes applied. */
const RUN_LINE = /^(?:Full pass: \d+ communities|Applied \d+ changes) in (\d+) ms/;

type LogLine = { time: number; msg: string; replica: number };

/** The JSON log lines (pino) of one process. */
function logLines(service: ServiceProcess, replica: number): LogLine[] {
  return service.stdout.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { time?: unknown; msg?: unknown };
      return typeof parsed.time === 'number' && typeof parsed.msg === 'string' ? [{ time: parsed.time, msg: parsed.msg, replica }] : [];
    } catch {
      return [];
    }
  });
}

describe('Scenario 5: several replicas on one database', () => {
  let database: TestDatabase;
  let db: DataSource;
  let smtp: SmtpTestServer;
  let replicas: ServiceProcess[] = [];
  let startedAt = 0;

  beforeAll(async () => {
    database = await createTestDatabase('server');
    smtp = await startSmtpTestServer();
    replicas = await Promise.all(
      Array.from({ length: REPLICAS }, (_, i) =>
        startLoggedService(`replica-${i + 1}`, {
          ...database.settings,
          APP_SECRET: TEST_APP_SECRET,
          RATE_LIMIT_ENABLED: 'false',
          TOKEN_PURGE_ENABLED: 'true',
          TOKEN_PURGE_CRON: '*/2 * * * * *',
          SMTP_URL: smtp.url,
          MAIL_POLL_INTERVAL_MS: '100',
          CLUSTER_RECOMPUTE_DEBOUNCE_MS: '20',
          DATABASE_POOL_SIZE: '5',
        }),
      ),
    );
    await Promise.all(replicas.map((replica) => replica.waitForHealthy(30_000)));
    startedAt = Date.now();
    db = await openDataSource(database.settings.DATABASE_URL);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop(10_000)));
    await endScenario(() => db?.destroy(), () => smtp?.close(), () => database?.drop());
  });

  const post = async (replica: ServiceProcess, path: string, body: unknown): Promise<number> => {
    const response = await fetch(`${replica.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.arrayBuffer();
    return response.status;
  };

  /** The confirmation token of the latest verification mail the SMTP server received for an address. */
  async function confirmTokenFor(email: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const mail = smtp.received.filter((candidate) => candidate.envelopeTo.includes(email) && /\/confirm\/[A-Za-z0-9_-]{43}/.test(candidate.body)).at(-1);
      if (mail) return /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail.body)![1];
      await sleep(100);
    }
    throw new Error('no verification mail arrived');
  }

  async function outboxCounts(): Promise<{ total: number; pending: number; sent: number }> {
    const [row] = (await db.query<unknown>(
      "SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent FROM mail_outbox",
    )) as { total: number; pending: number; sent: number }[];
    return row;
  }

  it('should purge once per tick, never recompute twice at once, queue each contact overview once and deliver each e-mail once', async () => {
    // Expired verification tokens for the purge to find: each must be removed exactly once.
    for (let i = 0; i < EXPIRED_TOKENS; i++) {
      await db.query("INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($1, 'verification', $2, now() - interval '1 hour')", [
        randomBytes(32).toString('hex'),
        uniqueBuildingId('expired'),
      ]);
    }

    // Pairs of neighbours, ~1 km apart from each other pair; each person registers and confirms through different replicas.
    const pairs = Array.from({ length: PAIRS }, (_, p) =>
      [0, 1].map((member) => {
        const phone = uniquePhone();
        const body = registrationBody({ buildingId: uniqueBuildingId(`replica-${p}-${member}`), phone: phone.raw, lat: 47.3 + p * 0.01, lon: 8.3 + member * 0.0005 });
        recordSecrets([body.email, ...phoneForms(phone)]);
        return body;
      }),
    );
    const registered = await Promise.all(pairs.flat().map((body, i) => post(replicas[i % REPLICAS], '/api/buildings', body)));
    expect(registered.every((status) => status === 201)).toBe(true);
    const tokens = await Promise.all(pairs.flat().map((body) => confirmTokenFor(body.email)));
    recordSecrets(tokens);
    const confirmed = await Promise.all(tokens.map((token, i) => post(replicas[(i + 1) % REPLICAS], '/api/verification/confirm', { token })));
    expect(confirmed.every((status) => status === 200)).toBe(true);

    // Let the jobs run: at least MIN_RUN_MS since start, and until the outbox is drained and stable.
    let last = '';
    for (let stable = 0; stable < 3 || Date.now() - startedAt < MIN_RUN_MS; ) {
      await sleep(500);
      const counts = await outboxCounts();
      const now = `${JSON.stringify(counts)}|${smtp.received.length}`;
      stable = counts.pending === 0 && now === last ? stable + 1 : 0;
      last = now;
    }

    // Token purge: one job_runs row per tick, and no more purge log lines than ticks (+ one boot purge per replica).
    const lines = replicas.flatMap((replica, i) => logLines(replica, i));
    const ticks = (await db.query<unknown>("SELECT tick, finished_at, outcome FROM job_runs WHERE job = 'token-purge' ORDER BY tick")) as { tick: Date; finished_at: Date | null; outcome: string | null }[];
    const purgeLines = lines.filter((line) => line.msg.startsWith('Token purge removed'));
    const removed = purgeLines.reduce((sum, line) => sum + Number(/removed (\d+)/.exec(line.msg)![1]), 0);
    const tickSeconds = ticks.map((row) => new Date(row.tick).getTime() / 1000);
    const gaps = tickSeconds.slice(1).map((second, i) => second - tickSeconds[i]);
    const [{ left }] = (await db.query<unknown>("SELECT count(*)::int AS left FROM tokens WHERE kind = 'verification' AND expires_at < now()")) as { left: number }[];

    // Recomputation: each run's interval [logged at − duration, logged at] must not overlap another's.
    const runs = lines
      .map((line) => ({ line, match: RUN_LINE.exec(line.msg) }))
      .filter((run) => run.match !== null)
      .map(({ line, match }) => ({ replica: line.replica, start: line.time - Number(match![1]), end: line.time }))
      .sort((a, b) => a.start - b.start);
    // Seen from outside, an interval starts before the pool connection and the lock attempt and ends after the
    // unlock and the log call, so consecutive runs may touch by a few ms at the hand-over; two runs at once would
    // overlap by most of a run (tens to hundreds of ms).
    const touching = runs.slice(1).map((run, i) => Math.max(0, Math.min(run.end, runs[i].end) - run.start));
    const overlaps = touching.filter((ms) => ms > HANDOVER_MS);
    const runsPerReplica = replicas.map((_, i) => runs.filter((run) => run.replica === i).length);

    // Contact overviews: exactly one row per recipient for the one change of each pair (both confirmed).
    const overviews = (await db.query<unknown>("SELECT building_id, count(*)::int AS n FROM mail_outbox WHERE kind = 'contact-overview' GROUP BY building_id")) as { building_id: string; n: number }[];
    const perRecipient = pairs.flat().map((body) => overviews.find((row) => row.building_id === body.profile.building_id)?.n ?? 0);

    // Delivery: one SMTP message per outbox row, Message-IDs unique.
    const counts = await outboxCounts();
    const messageIds = smtp.received.map((mail) => mail.header('message-id'));
    const uniqueIds = new Set(messageIds);

    recordResult(__filename, {
      id: '5',
      scenario: 'Several replicas',
      done: `${REPLICAS} service processes on one server database with a real SMTP server; token purge every 2 s (cron with seconds), recompute debounce 20 ms; ${EXPIRED_TOKENS} expired tokens inserted; ${PAIRS} pairs of neighbours registered and confirmed, each person through a different replica than its neighbour and than its own registration`,
      checked: `job_runs: one row per purge tick; purge log lines ≤ ticks + one boot purge per replica; expired tokens removed exactly once in total; recomputation runs (log time − duration, which also spans pool connection, lock attempt and unlock) never overlap by more than a ${HANDOVER_MS} ms hand-over; exactly one contact-overview row per recipient; SMTP messages = outbox rows, all sent, Message-IDs unique`,
      figures: `${Math.round((Date.now() - startedAt) / 1000)} s after all were healthy: ${ticks.length} purge ticks (gaps ${[...new Set(gaps)].join('/')} s), ${purgeLines.length} purge log lines, ${removed}/${EXPIRED_TOKENS} expired tokens removed, ${left} left; ${runs.length} recomputations (per replica ${runsPerReplica.join('/')}, ${Math.min(...runs.map((run) => run.end - run.start))}–${Math.max(...runs.map((run) => run.end - run.start))} ms each), ${overlaps.length} overlapping (largest hand-over ${Math.max(0, ...touching)} ms); contact overviews per recipient ${[...new Set(perRecipient)].join('/')} (${perRecipient.length} recipients); outbox ${counts.total} rows (${counts.sent} sent, ${counts.pending} pending), ${smtp.received.length} delivered, ${uniqueIds.size} distinct Message-IDs`,
    });

    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(gaps.every((gap) => gap >= 2 && gap % 2 === 0)).toBe(true);
    expect(ticks.slice(0, -1).every((row) => row.finished_at !== null && row.outcome?.startsWith('removed'))).toBe(true);
    expect(purgeLines.length).toBeGreaterThanOrEqual(ticks.length - 1);
    expect(purgeLines.length).toBeLessThanOrEqual(ticks.length + REPLICAS);
    expect(removed).toBe(EXPIRED_TOKENS);
    expect(left).toBe(0);
    expect(runs.length).toBeGreaterThan(0);
    expect(overlaps).toEqual([]);
    expect(perRecipient).toEqual(perRecipient.map(() => 1));
    expect(counts.pending).toBe(0);
    expect(counts.sent).toBe(counts.total);
    expect(smtp.received).toHaveLength(counts.total);
    expect(messageIds.every(Boolean)).toBe(true);
    expect(uniqueIds.size).toBe(smtp.received.length);
  });
});

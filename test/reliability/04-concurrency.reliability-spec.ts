import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { endScenario, openDataSource, recordResult, recordSecrets, startLoggedService } from '../helpers/reliability-run';
import { linkToken, readOutbox } from '../helpers/outbox';
import { registrationBody, uniqueBuildingId } from '../helpers/factories';
import { ServiceProcess } from '../helpers/service-process';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

process.env.TEST_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

const PARALLEL = 20;
const RACES = 10;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('Scenario 4: concurrency on one building', () => {
  let database: TestDatabase;
  let db: DataSource;
  let service: ServiceProcess;
  const figures: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('server');
    service = await startLoggedService('concurrency', {
      ...database.settings,
      APP_SECRET: TEST_APP_SECRET,
      RATE_LIMIT_ENABLED: 'false',
      TOKEN_PURGE_ENABLED: 'false',
      MAIL_WORKER_ENABLED: 'false',
      DATABASE_POOL_SIZE: '10',
      // The races register one mailbox many times at once; its caps (tested on their own) would answer 429.
      MAIL_LIMIT_LINKS: '1000/1d',
      MAIL_QUIET_PERIOD: '0',
    });
    await service.waitForHealthy(30_000);
    db = await openDataSource(database.settings.DATABASE_URL);
  });

  afterAll(() => endScenario(() => db?.destroy(), () => database?.drop()));

  const post = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  async function recordsOf(buildingId: string): Promise<number> {
    const [{ n }] = (await db.query<unknown>('SELECT (SELECT count(*) FROM buildings WHERE building_id = $1) + (SELECT count(*) FROM interest_pool WHERE building_id = $1) AS n', [buildingId])) as { n: string }[];
    return Number(n);
  }

  async function orphanTokens(): Promise<number> {
    const [{ n }] = (await db.query<unknown>(
      `SELECT count(*)::int AS n FROM tokens t WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.building_id = t.building_id)
         AND NOT EXISTS (SELECT 1 FROM interest_pool p WHERE p.building_id = t.building_id)`,
    )) as { n: number }[];
    return n;
  }

  it('should keep one record and one live confirmation link for parallel registrations of the same building', async () => {
    const buildingId = uniqueBuildingId('same');
    const body = registrationBody({ buildingId, phone: null });
    recordSecrets([body.email]);
    const answers = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => post(i % 2 ? '/api/buildings' : '/api/interest-pool', body)));
    const mails = (await readOutbox(db)).filter((mail) => mail.buildingId === buildingId && mail.kind === 'verification');
    recordSecrets(mails.flatMap((mail) => [linkToken(mail, 'confirm'), linkToken(mail, 'unsubscribe')]));
    const live = (await db.query<unknown>("SELECT token_hash FROM tokens WHERE building_id = $1 AND kind = 'verification' AND used_at IS NULL", [buildingId])) as { token_hash: string }[];
    const liveMails = mails.filter((mail) => sha256(linkToken(mail, 'confirm')) === live[0]?.token_hash);

    figures.push(`${PARALLEL} parallel registrations of one building: ${answers.filter((a) => a.status === 201).length} × 201, ${await recordsOf(buildingId)} record, ${mails.length} e-mails (1 per 201, keys unique), ${live.length} live confirmation link`);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect(await recordsOf(buildingId)).toBe(1);
    expect(mails).toHaveLength(PARALLEL);
    expect(live).toHaveLength(1);
    expect(liveMails).toHaveLength(1);
  });

  it('should confirm once for parallel confirmations of the same token', async () => {
    const buildingId = uniqueBuildingId('confirm');
    const body = registrationBody({ buildingId, phone: null });
    recordSecrets([body.email]);
    expect((await post('/api/buildings', body)).status).toBe(201);
    const mail = (await readOutbox(db)).find((candidate) => candidate.buildingId === buildingId)!;
    const token = linkToken(mail, 'confirm');
    recordSecrets([token, linkToken(mail, 'unsubscribe')]);

    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => post('/api/verification/confirm', { token })));
    const first = answers.filter((answer) => answer.status === 200 && answer.body.already_verified === false);
    const [row] = (await db.query<unknown>('SELECT verified FROM buildings WHERE building_id = $1', [buildingId])) as { verified: boolean }[];

    figures.push(`${PARALLEL} parallel confirmations: ${answers.filter((a) => a.status === 200).length} × 200, ${first.length} first confirmation`);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(first).toHaveLength(1);
    expect(row.verified).toBe(true);
  });

  it('should erase once for parallel unsubscribes, leaving nothing behind', async () => {
    const buildingId = uniqueBuildingId('unsub');
    const body = registrationBody({ buildingId, phone: null });
    recordSecrets([body.email]);
    expect((await post('/api/interest-pool', body)).status).toBe(201);
    const mail = (await readOutbox(db)).find((candidate) => candidate.buildingId === buildingId)!;
    const token = linkToken(mail, 'unsubscribe');
    recordSecrets([token, linkToken(mail, 'confirm')]);

    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => post('/api/unsubscribe', { token })));
    const deleted = answers.filter((answer) => answer.status === 200 && answer.body.deleted === true);
    const others = answers.filter((answer) => answer.status !== 200);
    const [{ n: leftovers }] = (await db.query<unknown>(
      `SELECT (SELECT count(*) FROM tokens WHERE building_id = $1) + (SELECT count(*) FROM mail_outbox WHERE building_id = $1 AND status = 'pending') AS n`,
      [buildingId],
    )) as { n: string }[];

    figures.push(`${PARALLEL} parallel unsubscribes: ${deleted.length} × 200 deleted, ${others.length} × ${[...new Set(others.map((a) => a.status))].join('/') || '-'}; ${await recordsOf(buildingId)} records and ${leftovers} tokens/pending mails left`);
    expect(deleted.length).toBeGreaterThanOrEqual(1);
    expect(others.every((answer) => answer.status === 404)).toBe(true);
    expect(await recordsOf(buildingId)).toBe(0);
    expect(Number(leftovers)).toBe(0);
  });

  it('should end consistent when a registration races an unsubscribe of the same building', async () => {
    let kept = 0;
    let erased = 0;
    for (let race = 0; race < RACES; race++) {
      const buildingId = uniqueBuildingId('race');
      const body = registrationBody({ buildingId, phone: null });
      recordSecrets([body.email]);
      expect((await post('/api/buildings', body)).status).toBe(201);
      const mail = (await readOutbox(db)).find((candidate) => candidate.buildingId === buildingId)!;
      const token = linkToken(mail, 'unsubscribe');
      recordSecrets([token, linkToken(mail, 'confirm')]);
      const [again, gone] = await Promise.all([post('/api/interest-pool', body), post('/api/unsubscribe', { token })]);
      expect(again.status).toBe(201);
      expect([200, 404]).toContain(gone.status);
      const records = await recordsOf(buildingId);
      const [{ live, pending }] = (await db.query<unknown>(
        `SELECT (SELECT count(*) FROM tokens WHERE building_id = $1 AND kind = 'verification' AND used_at IS NULL)::int AS live,
                (SELECT count(*) FROM mail_outbox WHERE building_id = $1 AND status = 'pending')::int AS pending`,
        [buildingId],
      )) as { live: number; pending: number }[];
      if (records === 1) {
        kept++;
        expect(live).toBe(1);
        expect(pending).toBeGreaterThanOrEqual(1);
      } else {
        erased++;
        expect(records).toBe(0);
        expect(live + pending).toBe(0);
      }
    }
    const orphans = await orphanTokens();
    const [{ duplicates }] = (await db.query<unknown>('SELECT count(*)::int AS duplicates FROM (SELECT idempotency_key FROM mail_outbox GROUP BY 1 HAVING count(*) > 1) d')) as { duplicates: number }[];
    figures.push(`${RACES} registration-vs-unsubscribe races: ${kept} ended registered, ${erased} ended erased, 0 in between; ${orphans} orphan tokens, ${duplicates} duplicate outbox e-mails in the whole database`);
    recordResult(__filename, {
      id: '4',
      scenario: 'Concurrency',
      done: `${PARALLEL} parallel registrations of one building (both routes), ${PARALLEL} parallel confirmations of one token, ${PARALLEL} parallel unsubscribes of one token, ${RACES} races of a registration against an unsubscribe`,
      checked: 'exactly one record or none; one live confirmation link; one first confirmation; no orphan tokens; one outbox e-mail per acknowledged registration, no duplicate keys',
      figures: figures.join('; '),
    });
    expect(orphans).toBe(0);
    expect(duplicates).toBe(0);
  });
});

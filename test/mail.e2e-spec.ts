import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { verificationMail } from '../src/mail/mail-templates';
import { MailComposers, QueuedMailContext } from '../src/mail/mail-composers';
import { MailService, OutboxEntry } from '../src/mail/mail.service';
import { encryptMessage } from '../src/mail/outbox-crypto';
import { messageIdFor, OUTBOX_LEASE_SECONDS, OutboxWorker } from '../src/mail/outbox.worker';
import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './helpers/smtp-test-server';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, defaultMode, TEST_APP_SECRET, TestDatabase, testEnv } from './helpers/test-database';

/** Polling effectively off: the tests drive delivery through deliverDue(). */
const MANUAL = { MAIL_POLL_INTERVAL_MS: '600000', MAIL_FROM: 'LEG Test <noreply@leg-test.ch>' };

type Row = {
  id: string;
  idempotency_key: string;
  building_id: string | null;
  mentions: string[];
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  payload: Buffer | null;
  sent_at: Date | null;
};

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

type RenderedEntry = Extract<OutboxEntry, { to: string }>;

function entry(overrides: Partial<RenderedEntry> = {}): RenderedEntry {
  const buildingId = overrides.buildingId ?? unique('b');
  const token = randomBytes(32).toString('base64url');
  return {
    idempotencyKey: unique('verification'),
    kind: 'verification',
    buildingId,
    to: `${unique('owner')}@example.ch`,
    ...verificationMail({
      appName: 'LEG Test',
      address: 'Badstrasse 12, 5400 Baden',
      confirmUrl: `http://localhost:3000/confirm/${token}`,
      unsubscribeUrl: `http://localhost:3000/unsubscribe/${randomBytes(32).toString('base64url')}`,
    }),
    ...overrides,
  };
}

async function enqueue(sut: TestApp, message: RenderedEntry): Promise<boolean> {
  return sut.dataSource.transaction((manager) => sut.app.get(MailService).enqueue(manager, message));
}

async function rowsFor(dataSource: DataSource, buildingId: string): Promise<Row[]> {
  return dataSource.query<Row[]>('SELECT * FROM mail_outbox WHERE building_id = $1 ORDER BY id', [buildingId]);
}

async function onlyRow(dataSource: DataSource, buildingId: string): Promise<Row> {
  const rows = await rowsFor(dataSource, buildingId);
  expect(rows).toHaveLength(1);
  return rows[0];
}

function mailsTo(server: SmtpTestServer, address: string): ReceivedMail[] {
  return server.received.filter((mail) => mail.envelopeTo.includes(address));
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe(`Mail outbox (${defaultMode()} database)`, () => {
  let database: TestDatabase;
  let smtp: SmtpTestServer;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpTestServer();
    sut = await startTestApp(testEnv(database, { ...MANUAL, SMTP_URL: smtp.url }));
  });

  afterAll(async () => {
    await sut?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('should leave no row when the enqueuing transaction rolls back', async () => {
    const message = entry();
    await expect(
      sut.dataSource.transaction(async (manager) => {
        expect(await sut.app.get(MailService).enqueue(manager, message)).toBe(true);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await rowsFor(sut.dataSource, message.buildingId!)).toEqual([]);
  });

  it('should ignore a second enqueue with the same idempotency key', async () => {
    const message = entry();
    expect(await enqueue(sut, message)).toBe(true);
    expect(await enqueue(sut, { ...message, subject: 'other' })).toBe(false);
    expect(await rowsFor(sut.dataSource, message.buildingId!)).toHaveLength(1);
  });

  it('should keep neither the recipient, the link nor the building id in clear', async () => {
    const message = entry();
    await enqueue(sut, message);
    const link = /http:\/\/localhost:3000\/confirm\/[A-Za-z0-9_-]+/.exec(message.text)![0];
    const row = await onlyRow(sut.dataSource, message.buildingId!);
    const [{ hits }] = await sut.dataSource.query<{ hits: number }[]>(
      `SELECT count(*)::int AS hits FROM mail_outbox
       WHERE id = $1 AND (encode(payload, 'escape') LIKE '%' || $2 || '%' OR encode(payload, 'escape') LIKE '%' || $3 || '%'
                          OR position(convert_to($2, 'UTF8') IN payload) > 0 OR position(convert_to($3, 'UTF8') IN payload) > 0)`,
      [row.id, message.to, link],
    );
    expect(hits).toBe(0);
    expect(row.payload!.toString('latin1')).not.toContain(message.to);
    expect(row.idempotency_key).toMatch(/^[0-9a-f]{64}$/);
    expect(row.idempotency_key).not.toContain(message.idempotencyKey);
  });

  it('should deliver through a real SMTP server once, with a stable Message-ID, and drop the payload', async () => {
    const message = entry();
    await enqueue(sut, message);
    expect(await sut.app.get(OutboxWorker).deliverDue()).toBeGreaterThanOrEqual(1);

    const received = mailsTo(smtp, message.to);
    expect(received).toHaveLength(1);
    const [mail] = received;
    const row = await onlyRow(sut.dataSource, message.buildingId!);
    expect(mail.header('subject')).toBe('Bitte bestätigen Sie Ihre Teilnahme');
    expect(mail.header('to')).toContain(message.to);
    expect(mail.header('from')).toContain('noreply@leg-test.ch');
    expect(mail.header('message-id')).toBe(messageIdFor(row.idempotency_key, 'leg-test.ch'));
    expect(mail.body).toContain(/http:\/\/localhost:3000\/confirm\/[A-Za-z0-9_-]+/.exec(message.text)![0]);
    expect(row).toMatchObject({ status: 'sent', payload: null, attempts: 1, last_error: null });
    expect(row.sent_at).toBeInstanceOf(Date);

    await sut.app.get(OutboxWorker).deliverDue();
    expect(mailsTo(smtp, message.to)).toHaveLength(1);
  });

  it('should back off while the SMTP server is down and deliver once it is back', async () => {
    const message = entry();
    const lastTry = entry();
    await enqueue(sut, message);
    await enqueue(sut, lastTry);
    await sut.dataSource.query('UPDATE mail_outbox SET attempts = 7 WHERE building_id = $1', [lastTry.buildingId]);
    const { port } = smtp;
    await smtp.close();
    try {
      expect(await sut.app.get(OutboxWorker).deliverDue()).toBe(0);
      const row = await onlyRow(sut.dataSource, message.buildingId!);
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.payload).not.toBeNull();
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(row.last_error!.length).toBeLessThanOrEqual(500);
      const [{ seconds }] = await sut.dataSource.query<{ seconds: number }[]>(
        'SELECT extract(epoch FROM next_attempt_at - now())::float AS seconds FROM mail_outbox WHERE id = $1',
        [row.id],
      );
      expect(seconds).toBeGreaterThan(20);
      expect(seconds).toBeLessThanOrEqual(30);
      expect(await onlyRow(sut.dataSource, lastTry.buildingId!)).toMatchObject({ status: 'failed', attempts: 8 });

      expect(await sut.app.get(OutboxWorker).deliverDue()).toBe(0);
      expect(await onlyRow(sut.dataSource, message.buildingId!)).toMatchObject({ attempts: 1 });
    } finally {
      smtp = await startSmtpTestServer(port, smtp.received);
    }
    await sut.dataSource.query('UPDATE mail_outbox SET next_attempt_at = now() WHERE building_id = $1', [message.buildingId]);
    expect(await sut.app.get(OutboxWorker).deliverDue()).toBeGreaterThanOrEqual(1);
    expect(mailsTo(smtp, message.to)).toHaveLength(1);
    expect(await onlyRow(sut.dataSource, message.buildingId!)).toMatchObject({ status: 'sent', attempts: 2, payload: null });
  });

  it('should fail a mail at once when its payload cannot be decrypted (APP_SECRET changed)', async () => {
    const message = entry();
    await enqueue(sut, message);
    const foreign = encryptMessage('another-secret-0123456789abcdef0123456789', { to: message.to, subject: 's', text: 't', html: 'h' });
    await sut.dataSource.query('UPDATE mail_outbox SET payload = $2 WHERE building_id = $1', [message.buildingId, foreign]);
    await sut.app.get(OutboxWorker).deliverDue();
    const row = await onlyRow(sut.dataSource, message.buildingId!);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toContain('cannot be decrypted');
    expect(mailsTo(smtp, message.to)).toHaveLength(0);
  });

  describe('a mail composed when it is sent', () => {
    const composed: QueuedMailContext[] = [];
    const recipients = new Map<string, string>();
    let failOnce = false;

    beforeAll(() => {
      // A feature's composer, registered as features do: it renders from "current records" (here a map).
      sut.app.get(MailComposers).register('test-greeting', (mail) => {
        composed.push(mail);
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new Error('records unreachable'));
        }
        const to = recipients.get(mail.buildingId!);
        if (!to) return Promise.resolve(null);
        return Promise.resolve({
          message: { to, subject: 'Grüezi', text: `Hello ${String(mail.data.name)}, neighbours: ${mail.mentions.join(', ')}`, html: '<p>Hello</p>' },
          // as a feature's composer names only buildings still registered
          mentions: mail.mentions.filter((id) => id !== 'n-2'),
        });
      });
    });

    async function queue(buildingId: string, composer = 'test-greeting'): Promise<void> {
      await sut.dataSource.transaction((manager) =>
        sut.app.get(MailService).enqueueMany(manager, [
          { idempotencyKey: unique('deferred'), kind: 'test-deferred', buildingId, mentions: ['n-1', 'n-2'], composer, data: { name: 'Anna' } },
        ]),
      );
    }

    it('should render it from the records as they are at sending, with the buildings it names in order', async () => {
      const buildingId = unique('b');
      await queue(buildingId);
      const address = `${unique('now')}@example.ch`;
      recipients.set(buildingId, address);
      await sut.app.get(OutboxWorker).deliverDue();
      const [mail] = mailsTo(smtp, address);
      expect(mail.body).toContain('Hello Anna, neighbours: n-1, n-2');
      expect(await onlyRow(sut.dataSource, buildingId)).toMatchObject({ status: 'sent', payload: null });
    });

    it('should hold the buildings it may name sealed while it waits and record the ones it named once sent', async () => {
      const buildingId = unique('b');
      await queue(buildingId);
      expect(await onlyRow(sut.dataSource, buildingId)).toMatchObject({ status: 'pending', mentions: [] });
      recipients.set(buildingId, `${unique('named')}@example.ch`);

      await sut.app.get(OutboxWorker).deliverDue();

      expect(await onlyRow(sut.dataSource, buildingId)).toMatchObject({ status: 'sent', mentions: ['n-1'] });
    });

    it('should still compose one queued before its list was sealed, from the list in its row', async () => {
      const buildingId = unique('b');
      const address = `${unique('earlier')}@example.ch`;
      recipients.set(buildingId, address);
      await sut.dataSource.query(
        `INSERT INTO mail_outbox (idempotency_key, kind, building_id, mentions, payload) VALUES ($1, 'test-deferred', $2, $3::text[], $4)`,
        [unique('earlier-key'), buildingId, ['n-1', 'n-2'], encryptMessage(TEST_APP_SECRET, { composer: 'test-greeting', data: { name: 'Anna' } })],
      );

      await sut.app.get(OutboxWorker).deliverDue();

      expect(mailsTo(smtp, address)[0].body).toContain('Hello Anna, neighbours: n-1, n-2');
      expect(await onlyRow(sut.dataSource, buildingId)).toMatchObject({ status: 'sent', mentions: ['n-1'] });
    });

    it('should drop it, sending nothing, when its recipient left before it was sent', async () => {
      const buildingId = unique('b');
      await queue(buildingId);
      const before = smtp.received.length;
      await sut.app.get(OutboxWorker).deliverDue();
      expect(composed.some((mail) => mail.buildingId === buildingId)).toBe(true);
      expect(await rowsFor(sut.dataSource, buildingId)).toEqual([]);
      expect(smtp.received.length).toBe(before);
    });

    it('should retry it when composing fails for a passing reason, and fail it at once when no composer knows it', async () => {
      const retried = unique('b');
      const unknown = unique('b');
      recipients.set(retried, `${unique('retry')}@example.ch`);
      await queue(retried);
      await queue(unknown, 'nobody-composes-this');
      failOnce = true;
      await sut.app.get(OutboxWorker).deliverDue();
      const row = await onlyRow(sut.dataSource, retried);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'records unreachable' });
      expect(row.payload).not.toBeNull();
      const lost = await onlyRow(sut.dataSource, unknown);
      expect(lost).toMatchObject({ status: 'failed', attempts: 1 });
      expect(lost.last_error).toContain('no composer');
    });
  });

  it('should remove unsent mails addressed to or mentioning a building and unlink it from sent ones', async () => {
    const gone = unique('erased');
    const other = unique('other');
    const addressed = entry({ buildingId: gone });
    const mentioning = entry({ buildingId: other, mentions: [gone, unique('x')] });
    const failed = entry({ buildingId: gone, idempotencyKey: unique('failed') });
    const sentTo = entry({ buildingId: gone, idempotencyKey: unique('sent') });
    const sentMentioning = entry({ buildingId: other, mentions: [gone], idempotencyKey: unique('sent-m') });
    const unrelated = entry({ buildingId: other, idempotencyKey: unique('unrelated') });
    for (const message of [addressed, mentioning, failed, sentTo, sentMentioning, unrelated]) await enqueue(sut, message);
    const ids = async (message: RenderedEntry) =>
      (
        await sut.dataSource.query<{ id: string }[]>(
          'SELECT id FROM mail_outbox WHERE building_id = $1 OR $1 = ANY(mentions) ORDER BY id',
          [message.buildingId],
        )
      ).map((row) => row.id);
    const [failedId, sentToId] = (await ids(addressed)).slice(1);
    const [, sentMentioningId] = await ids(sentMentioning);
    await sut.dataSource.query(`UPDATE mail_outbox SET status = 'failed' WHERE id = $1`, [failedId]);
    await sut.dataSource.query(`UPDATE mail_outbox SET status = 'sent', payload = NULL, sent_at = now() WHERE id IN ($1, $2)`, [
      sentToId,
      sentMentioningId,
    ]);

    await sut.dataSource.transaction((manager) => sut.app.get(MailService).removeForBuilding(manager, gone));

    const left = await sut.dataSource.query<unknown[]>(
      'SELECT id, status, building_id, mentions FROM mail_outbox WHERE building_id = $1 OR $1 = ANY(mentions)',
      [gone],
    );
    expect(left).toEqual([]);
    const kept = await sut.dataSource.query<{ id: string; status: string; building_id: string | null; mentions: string[] }[]>(
      'SELECT id::text AS id, status, building_id, mentions FROM mail_outbox WHERE id IN ($1, $2) ORDER BY id',
      [sentToId, sentMentioningId],
    );
    expect(kept).toEqual([
      { id: sentToId, status: 'sent', building_id: null, mentions: [] },
      { id: sentMentioningId, status: 'sent', building_id: other, mentions: [] },
    ]);
    const others = (await rowsFor(sut.dataSource, other)).map((row) => row.status);
    expect(others).toEqual(['sent', 'pending']);
  });

  it('should count mails per status', async () => {
    const counts = await sut.app.get(MailService).counts();
    const [{ pending, failed, sent }] = await sut.dataSource.query<{ pending: number; failed: number; sent: number }[]>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'sent')::int AS sent FROM mail_outbox`,
    );
    expect(counts).toEqual({ pending, failed, sent });
    expect(counts.sent).toBeGreaterThan(0);
    expect(counts.failed).toBeGreaterThan(0);
  });

  it('should deliver a mail leased by a worker that died, with the same Message-ID, once the lease ends', async () => {
    await sut.app.get(OutboxWorker).deliverDue(100);
    const message = entry();
    await enqueue(sut, message);
    // The dying worker's claim: the same statement the worker runs, then the process is gone.
    await sut.dataSource.query(
      `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2) WHERE building_id = $1`,
      [message.buildingId, OUTBOX_LEASE_SECONDS],
    );
    await sut.close();
    sut = await startTestApp(testEnv(database, { ...MANUAL, SMTP_URL: smtp.url }));

    expect(await sut.app.get(OutboxWorker).deliverDue()).toBe(0);
    expect(mailsTo(smtp, message.to)).toHaveLength(0);
    await sut.dataSource.query(`UPDATE mail_outbox SET next_attempt_at = now() - interval '1 second' WHERE building_id = $1`, [
      message.buildingId,
    ]);
    expect(await sut.app.get(OutboxWorker).deliverDue()).toBe(1);
    const row = await onlyRow(sut.dataSource, message.buildingId!);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mailsTo(smtp, message.to).map((mail) => mail.header('message-id'))).toEqual([
      messageIdFor(row.idempotency_key, 'leg-test.ch'),
    ]);
  });

  it('should send each mail exactly once when two replicas deliver at the same time (SKIP LOCKED, on a server)', async () => {
    const shared = await createTestDatabase('server');
    const first = await startTestApp(testEnv(shared, { ...MANUAL, SMTP_URL: smtp.url }));
    const second = await startTestApp(testEnv(shared, { ...MANUAL, SMTP_URL: smtp.url }));
    try {
      const messages = Array.from({ length: 30 }, () => entry());
      for (const message of messages) await enqueue(first, message);
      const delivered = await Promise.all([
        first.app.get(OutboxWorker).deliverDue(10),
        second.app.get(OutboxWorker).deliverDue(10),
        first.app.get(OutboxWorker).deliverDue(10),
        second.app.get(OutboxWorker).deliverDue(10),
      ]);
      expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(30);
      for (const message of messages) expect(mailsTo(smtp, message.to)).toHaveLength(1);
    } finally {
      await second.close();
      await first.close();
      await shared.drop();
    }
  });
});

describe('Mail outbox without SMTP_URL (development transport)', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = database.settings.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'leg-mail-'));
  });

  afterAll(async () => {
    if (!database.settings.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  it('should write each mail as an .eml file in DATA_DIR/mail, delivered by the poll loop after kick()', async () => {
    const sut = await startTestApp(testEnv(database, { DATA_DIR: dataDir, MAIL_POLL_INTERVAL_MS: '100' }));
    try {
      const message = entry();
      await enqueue(sut, message);
      sut.app.get(OutboxWorker).kick();
      const folder = join(dataDir, 'mail');
      const file = await waitFor(() => (existsSync(folder) ? readdirSync(folder).find((name) => name.endsWith('.eml')) : undefined));
      const raw = readFileSync(join(folder, file), 'utf8');
      expect(raw).toContain(message.to);
      expect(raw).toMatch(/^Message-ID: <[0-9a-f]{32}@leg-match\.local>/im);
      expect(file).toMatch(/^[0-9a-f]{32}\.eml$/);
      const sent = await (async () => {
        for (let i = 0; i < 100; i++) {
          const [current] = await rowsFor(sut.dataSource, message.buildingId!);
          if (current.status === 'sent') return current;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error('row not marked sent');
      })();
      expect(sent).toMatchObject({ status: 'sent', payload: null });
    } finally {
      await sut.close();
    }
  });
});

import { createHash } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { redactPersonalData } from '../common/personal-data';
import { Env } from '../config/env.validation';
import { isDatabaseUnavailable } from '../database/database-errors';
import { rowsOf } from '../database/query-result';
import { MailTransport } from './mail-transport';
import { ComposedMail, MailComposers } from './mail-composers';
import { isDeferred, OutboxCipher, OutboxPayload, OutboxPayloadError } from './outbox-crypto';

/** While a worker sends a claimed mail, no other worker (replica) picks it up. */
export const OUTBOX_LEASE_SECONDS = 60;
export const OUTBOX_MAX_ATTEMPTS = 8;
const BACKOFF_BASE_SECONDS = 30;
const BACKOFF_CAP_SECONDS = 3600;
const KICK_DELAY_MS = 50;
const SHUTDOWN_DRAIN_MS = 10_000;
const ERROR_MAX_LENGTH = 500;

/** Seconds to wait after the given (1-based) failed attempt: 30 s · 2^(attempts−1), at most one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_SECONDS);
}

/**
 * A Message-ID that is the same for every delivery attempt of one outbox row, so a copy re-sent
 * after a crash carries the Message-ID of the first and mail systems can recognise the duplicate.
 */
export function messageIdFor(storedIdempotencyKey: string, domain: string): string {
  return `<${createHash('sha256').update(storedIdempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** The domain of MAIL_FROM ("Name <noreply@example.ch>" → "example.ch"), or "leg-match". */
export function messageIdDomain(mailFrom: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom.trim());
  return match ? match[1].toLowerCase() : 'leg-match';
}

type ClaimedRow = { id: string; idempotency_key: string; kind: string; building_id: string | null; mentions: string[]; payload: Buffer | null; attempts: number };

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactPersonalData(message).slice(0, ERROR_MAX_LENGTH);
}

/**
 * Sends what the outbox holds: a poll loop (MAIL_POLL_INTERVAL_MS) plus kick() right after an enqueue.
 *
 * Delivery is at-least-once. A row is claimed with a lease (FOR UPDATE SKIP LOCKED, next_attempt_at
 * moved 60 s ahead), sent, then marked sent. If the process dies, or the database is unreachable,
 * between the SMTP server accepting the mail and the row being marked sent, the row is sent again
 * once the lease ends. That copy has the same Message-ID, so receiving systems can drop it; this
 * window (milliseconds per mail) is the only way a person gets a mail twice.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxWorker.name);
  private readonly intervalMs: number;
  private readonly enabled: boolean;
  private readonly from: string;
  private readonly domain: string;
  private running = false;
  private pollTimer?: NodeJS.Timeout;
  private kickTimer?: NodeJS.Timeout;
  /** The batch in progress (batches run one after another). */
  private current: Promise<unknown> = Promise.resolve();
  private pollFailing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly cipher: OutboxCipher,
    private readonly composers: MailComposers,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = config.get('MAIL_POLL_INTERVAL_MS', { infer: true });
    this.enabled = config.get('MAIL_WORKER_ENABLED', { infer: true });
    this.from = config.get('MAIL_FROM', { infer: true });
    this.domain = messageIdDomain(this.from);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.log('Mail outbox worker is off in this process (MAIL_WORKER_ENABLED=false)');
      return;
    }
    this.running = true;
    this.logger.log(`Mail outbox worker started (${this.transport.description})`);
    this.schedule(this.intervalMs);
  }

  /** Stops polling and waits (bounded) for the batch in progress, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_DRAIN_MS);
      timer.unref();
    });
    await Promise.race([this.current.catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** Asks for a delivery run shortly, e.g. after a transaction that enqueued a mail committed. Debounced. */
  kick(): void {
    if (!this.running || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      void this.poll();
    }, KICK_DELAY_MS);
    this.kickTimer.unref();
  }

  /** Claims and sends up to `limit` due mails; resolves to the number delivered. Runs after any batch in progress. */
  deliverDue(limit = 20): Promise<number> {
    const batch = this.current.catch(() => undefined).then(() => this.deliverBatch(limit));
    this.current = batch;
    return batch;
  }

  private stop(): void {
    this.running = false;
    clearTimeout(this.pollTimer);
    clearTimeout(this.kickTimer);
    this.pollTimer = undefined;
    this.kickTimer = undefined;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => void this.poll(), delayMs);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    if (!this.running) return;
    try {
      let delivered: number;
      do delivered = await this.deliverDue();
      while (delivered > 0 && this.running);
      if (this.pollFailing) this.logger.log('Mail outbox polling works again');
      this.pollFailing = false;
    } catch (error) {
      // One warning per outage, not one per poll.
      if (!this.pollFailing) {
        const what = isDatabaseUnavailable(error) ? 'database unavailable' : describe(error);
        this.logger.warn(`Mail outbox polling failed, will retry: ${what}`);
      }
      this.pollFailing = true;
    } finally {
      this.schedule(this.intervalMs);
    }
  }

  private async deliverBatch(limit: number): Promise<number> {
    const claimed = await this.claim(limit);
    let delivered = 0;
    for (const row of claimed) {
      if (await this.deliver(row)) delivered++;
    }
    return delivered;
  }

  /**
   * Takes due rows and leases them in one statement (its own short transaction): attempts + 1 and
   * next_attempt_at pushed past the lease, so other replicas skip them while this one sends.
   */
  private async claim(limit: number): Promise<ClaimedRow[]> {
    const result: unknown = await this.dataSource.query(
      `UPDATE mail_outbox
       SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (
         SELECT id FROM mail_outbox
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING id, idempotency_key, kind, building_id, mentions, payload, attempts`,
      [limit, OUTBOX_LEASE_SECONDS],
    );
    return rowsOf<ClaimedRow>(result).sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async deliver(row: ClaimedRow): Promise<boolean> {
    let payload: OutboxPayload;
    try {
      if (!row.payload) throw new OutboxPayloadError('no payload');
      payload = this.cipher.open(row.payload);
    } catch (error) {
      await this.failPermanently(row, error instanceof OutboxPayloadError ? error.message : `Outbox payload unreadable: ${describe(error)}`);
      return false;
    }
    let composed: ComposedMail | null;
    try {
      composed = isDeferred(payload)
        ? await this.composers.compose(payload, { buildingId: row.building_id, mentions: row.mentions })
        : { message: payload, mentions: row.mentions };
    } catch (error) {
      if (error instanceof OutboxPayloadError) await this.failPermanently(row, error.message);
      else await this.markRetry(row, describe(error));
      return false;
    }
    if (!composed) {
      // Its composer finds it no longer due: its recipient, or the person it is about, left after it was queued.
      await this.dataSource.query('DELETE FROM mail_outbox WHERE id = $1', [row.id]);
      this.logger.log(`Mail ${row.id} (${row.kind}) dropped: no longer due`);
      return false;
    }
    try {
      await this.transport.send({
        ...composed.message,
        from: this.from,
        messageId: messageIdFor(row.idempotency_key, this.domain),
      });
    } catch (error) {
      await this.markRetry(row, describe(error));
      return false;
    }
    await this.dataSource.query(
      `UPDATE mail_outbox SET status = 'sent', sent_at = now(), payload = NULL, last_error = NULL, mentions = $2::text[] WHERE id = $1`,
      [row.id, composed.mentions],
    );
    return true;
  }

  private async failPermanently(row: ClaimedRow, reason: string): Promise<void> {
    await this.markFailed(row.id, reason);
    this.logger.error(`Mail ${row.id} (${row.kind}) failed permanently: ${reason}`);
  }

  private async markRetry(row: ClaimedRow, error: string): Promise<void> {
    if (row.attempts >= OUTBOX_MAX_ATTEMPTS) {
      await this.markFailed(row.id, error);
      this.logger.error(`Mail ${row.id} (${row.kind}) failed after ${row.attempts} attempts: ${error}`);
      return;
    }
    const delay = backoffSeconds(row.attempts);
    await this.dataSource.query(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`,
      [row.id, delay, error],
    );
    this.logger.warn(`Mail ${row.id} (${row.kind}) attempt ${row.attempts} failed, retry in ${delay} s: ${error}`);
  }

  private async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE mail_outbox SET status = 'failed', last_error = $2 WHERE id = $1`, [
      id,
      error.slice(0, ERROR_MAX_LENGTH),
    ]);
  }
}

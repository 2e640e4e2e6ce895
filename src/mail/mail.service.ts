import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { redactPersonalData } from '../common/personal-data';
import { StatementPart } from '../database/statement-parts';
import { Env } from '../config/env.validation';
import { MailTransport } from './mail-transport';
import { DeferredMessage, OutboxCipher, OutboxPayload, RenderedMessage } from './outbox-crypto';
import { messageIdDomain, messageIdFor } from './outbox.worker';

/** A mail to queue: rendered now, or composed when it is sent (see DeferredMessage). */
export type OutboxEntry = {
  /** Same key → same mail: a second enqueue with it is ignored. May contain building ids (stored only as an HMAC). */
  idempotencyKey: string;
  kind: string;
  /** The building the mail is addressed to. */
  buildingId: string | null;
  /**
   * Other buildings whose personal data appears in the body (e.g. the neighbours in a contact list), in
   * the order it names them; for a mail composed when sent, the ones it may name.
   */
  mentions?: string[];
} & (RenderedMessage | Omit<DeferredMessage, 'mentions'>);

function uniqueMentions(entry: OutboxEntry): string[] {
  return [...new Set(entry.mentions ?? [])];
}

function payloadOf(entry: OutboxEntry): OutboxPayload {
  if ('composer' in entry) return { composer: entry.composer, data: entry.data, mentions: uniqueMentions(entry) };
  const { to, subject, text, html, headers } = entry;
  return { to, subject, text, html, ...(headers ? { headers } : {}) };
}

/**
 * The row's mentions while the mail waits: a rendered mail's (erasure finds and drops it by them);
 * none for one composed when sent, which keeps them sealed and names only the still registered.
 */
function queuedMentions(entry: OutboxEntry): string[] {
  return 'composer' in entry ? [] : uniqueMentions(entry);
}

/** One mail, in constant SQL: every registration queues one, so no query is built per request. */
const ENQUEUE_ONE = `INSERT INTO mail_outbox (idempotency_key, kind, building_id, mentions, payload) VALUES ($1, $2, $3, $4::text[], $5)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;

/** Rows per multi-row insert: large enough to save round trips, small enough for bounded statements. */
const ENQUEUE_BATCH = 2000;

/** A person is shown this many of the latest disclosures of their details. */
const MAX_DISCLOSURES = 500;

export type OutboxCounts = { pending: number; failed: number; sent: number };

/** The transactional outbox: mails are written with the change that causes them and sent by OutboxWorker. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly domain: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: OutboxCipher,
    private readonly transport: MailTransport,
    config: ConfigService<Env, true>,
  ) {
    this.domain = messageIdDomain(config.get('MAIL_FROM', { infer: true }));
  }

  /**
   * Queues a mail inside the caller's transaction (it is sent only if that transaction commits).
   * Returns false when a mail with the same idempotency key was already queued or sent.
   */
  async enqueue(manager: EntityManager, entry: OutboxEntry): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(ENQUEUE_ONE, this.enqueueParameters(entry));
    return rows.length > 0;
  }

  /** enqueue() as a part of a combined statement (runTogether). */
  enqueuePart(entry: OutboxEntry): StatementPart<boolean> {
    return { sql: ENQUEUE_ONE, parameters: this.enqueueParameters(entry), read: (rows) => rows.length > 0 };
  }

  private enqueueParameters(entry: OutboxEntry): unknown[] {
    return [
      this.cipher.opaqueKey(entry.idempotencyKey),
      entry.kind,
      entry.buildingId,
      queuedMentions(entry),
      this.cipher.seal(payloadOf(entry)),
    ];
  }

  /**
   * Queues many mails in multi-row statements (the first recomputation of a large import queues tens of
   * thousands). Returns how many were new; the others had been queued or sent before under the same key.
   */
  async enqueueMany(manager: EntityManager, entries: readonly OutboxEntry[]): Promise<number> {
    let queued = 0;
    for (let start = 0; start < entries.length; start += ENQUEUE_BATCH) {
      const batch = entries.slice(start, start + ENQUEUE_BATCH);
      const rows = await manager.query<{ id: string }[]>(
        `INSERT INTO mail_outbox (idempotency_key, kind, building_id, mentions, payload)
         SELECT key, kind, building_id, ARRAY(SELECT jsonb_array_elements_text(mentions)), payload
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::jsonb[], $5::bytea[]) AS m(key, kind, building_id, mentions, payload)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [
          batch.map((entry) => this.cipher.opaqueKey(entry.idempotencyKey)),
          batch.map((entry) => entry.kind),
          batch.map((entry) => entry.buildingId),
          batch.map((entry) => JSON.stringify(queuedMentions(entry))),
          this.cipher.sealMany(batch.map(payloadOf)),
        ],
      );
      queued += rows.length;
    }
    return queued;
  }

  /**
   * Erasure: drops every unsent mail addressed to or mentioning the building, and removes the
   * building id from sent ones (which no longer hold a payload). Afterwards no row refers to it in
   * clear. A mail composed when sent that may name it (a contact overview to someone else) stays: its
   * list is sealed, and its composer names only buildings still registered when it is sent.
   * Returns the Message-IDs of all those mails, computed before the rows forget the building: once
   * the caller's transaction has committed, discardCopies() deletes what the transport kept of them.
   */
  async removeForBuilding(manager: EntityManager, buildingId: string): Promise<string[]> {
    const mails = await manager.query<{ idempotency_key: string }[]>(
      `SELECT idempotency_key FROM mail_outbox WHERE building_id = $1 OR mentions @> ARRAY[$1]::text[]`,
      [buildingId],
    );
    await manager.query(
      `DELETE FROM mail_outbox
       WHERE status IN ('pending', 'failed') AND (building_id = $1 OR mentions @> ARRAY[$1]::text[])`,
      [buildingId],
    );
    await manager.query(
      `UPDATE mail_outbox
       SET building_id = CASE WHEN building_id = $1 THEN NULL ELSE building_id END,
           mentions = array_remove(mentions, $1),
           payload = NULL
       WHERE status = 'sent' AND (building_id = $1 OR mentions @> ARRAY[$1]::text[])`,
      [buildingId],
    );
    return mails.map((mail) => messageIdFor(mail.idempotency_key, this.domain));
  }

  /**
   * Who received the building's details, and when: the contact mails sent that named it, newest
   * first. The recipient is null when they have since left (their id was erased from the row).
   */
  disclosuresOf(manager: EntityManager, buildingId: string): Promise<{ recipient_id: string | null; sent_at: Date }[]> {
    return manager.query<{ recipient_id: string | null; sent_at: Date }[]>(
      `SELECT building_id AS recipient_id, sent_at FROM mail_outbox
       WHERE status = 'sent' AND kind IN ('contact-overview', 'new-neighbour') AND mentions @> ARRAY[$1]::text[]
         AND building_id IS DISTINCT FROM $1
       ORDER BY sent_at DESC LIMIT $2`,
      [buildingId, MAX_DISCLOSURES],
    );
  }

  /**
   * Deletes the transport's copies of erased mails (the development .eml files). A failure is logged,
   * not thrown: the erasure has committed, and an error answer would tell the person it had not.
   */
  async discardCopies(messageIds: string[]): Promise<void> {
    try {
      await this.transport.discard(messageIds);
    } catch (error) {
      this.logger.error(`Could not delete the copies of ${messageIds.length} erased mails: ${redactPersonalData((error as Error).message)}`);
    }
  }

  /** Number of mails per status, for the admin API. */
  async counts(): Promise<OutboxCounts> {
    const rows = await this.dataSource.query<{ status: keyof OutboxCounts; count: number }[]>(
      `SELECT status, count(*)::int AS count FROM mail_outbox GROUP BY status`,
    );
    const counts: OutboxCounts = { pending: 0, failed: 0, sent: 0 };
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }
}

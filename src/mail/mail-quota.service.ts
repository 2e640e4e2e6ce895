import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { Env } from '../config/env.validation';
import { affectedCount } from '../database/query-result';
import { StatementPart } from '../database/statement-parts';
import { mailboxOf } from '../common/mailbox';
import { MailClass, mailLimit, MailLimit } from './mail-quota';
import { OutboxCipher } from './outbox-crypto';

/**
 * Counts mails to recipients (one row per recipient key and class), returning the keys whose mails
 * may go. now() is each transaction's start: a concurrent one may have stamped a later time, hence no
 * quiet check at 0. $1 recipient keys, $2 mails per key, $3 class, $4 limit, $5 window ms, $6 quiet ms.
 */
const RESERVE = `INSERT INTO mail_recipient_quota AS q (recipient_key, mail_class, window_started_at, sent, last_sent_at)
  SELECT key, $3, now(), n, now() FROM unnest($1::varchar[], $2::int[]) AS r(key, n) WHERE n <= $4
  ON CONFLICT (recipient_key, mail_class) DO UPDATE SET
    window_started_at = CASE WHEN q.window_started_at <= now() - make_interval(secs => $5 / 1000.0) THEN now() ELSE q.window_started_at END,
    sent = CASE WHEN q.window_started_at <= now() - make_interval(secs => $5 / 1000.0) THEN EXCLUDED.sent ELSE q.sent + EXCLUDED.sent END,
    last_sent_at = now()
  WHERE ($6 = 0 OR q.last_sent_at <= now() - make_interval(secs => $6 / 1000.0))
    AND (q.window_started_at <= now() - make_interval(secs => $5 / 1000.0) OR q.sent + EXCLUDED.sent <= $4)
  RETURNING recipient_key`;

/**
 * Per-recipient caps on every class of mail, so that nobody can flood a mailbox through us. A
 * reservation counts one mail in the caller's transaction (rolled back with it) and is refused when
 * the recipient has had the class's limit in the current window, or a mail of the class within its
 * quiet period. Recipients are stored as an HMAC of the mailbox, never in clear.
 */
@Injectable()
export class MailQuota {
  private readonly limits: Record<MailClass, MailLimit>;

  constructor(
    config: ConfigService<Env, true>,
    private readonly cipher: OutboxCipher,
  ) {
    const quiet = config.get('MAIL_QUIET_PERIOD', { infer: true });
    this.limits = {
      links: mailLimit(config.get('MAIL_LIMIT_LINKS', { infer: true }), quiet),
      handover: mailLimit(config.get('MAIL_LIMIT_HANDOVER', { infer: true }), quiet),
      neighbours: mailLimit(config.get('MAIL_LIMIT_NEIGHBOURS', { infer: true }), null),
      overviews: mailLimit(config.get('MAIL_LIMIT_OVERVIEWS', { infer: true }), null),
    };
  }

  /** Counts one mail of the class to the address; false (nothing counted) when the cap is reached. */
  async reserve(manager: EntityManager, address: string, mailClass: MailClass): Promise<boolean> {
    return (await this.reserveMany(manager, [address], mailClass)).has(address);
  }

  /** reserve() as a part of a statement run with others (runTogether): true when the mail may go. */
  reservePart(address: string, mailClass: MailClass): StatementPart<boolean> {
    const { parameters } = this.reservation([address], mailClass);
    return { sql: RESERVE, parameters, read: (rows) => rows.length > 0 };
  }

  /** The batched form: the addresses (as given) whose mail may go; one statement for all of them. */
  async reserveMany(manager: EntityManager, addresses: readonly string[], mailClass: MailClass): Promise<Set<string>> {
    if (addresses.length === 0) return new Set();
    const { parameters, keys } = this.reservation(addresses, mailClass);
    const rows = await manager.query<{ recipient_key: string }[]>(RESERVE, parameters);
    return new Set(rows.flatMap((row) => keys.get(row.recipient_key) ?? []));
  }

  /** RESERVE's parameters for the addresses, and the addresses behind each recipient key. */
  private reservation(addresses: readonly string[], mailClass: MailClass): { parameters: unknown[]; keys: Map<string, string[]> } {
    const keys = new Map<string, string[]>();
    for (const address of addresses) {
      const key = this.recipientKey(address);
      keys.set(key, [...(keys.get(key) ?? []), address]);
    }
    const { limit, windowMs, quietMs } = this.limits[mailClass];
    // One row per recipient key; a key given n times in one batch takes n mails of the allowance.
    const counts = [...keys.values()].map((list) => list.length);
    return { parameters: [[...keys.keys()], counts, mailClass, limit, windowMs, quietMs], keys };
  }

  /** Forgets counters whose every window has passed (the housekeeping calls it). */
  async sweep(manager: EntityManager): Promise<number> {
    const longest = Math.max(...Object.values(this.limits).map((l) => Math.max(l.windowMs, l.quietMs)));
    return affectedCount(
      await manager.query(
        `DELETE FROM mail_recipient_quota WHERE last_sent_at < now() - make_interval(secs => $1 / 1000.0) AND window_started_at < now() - make_interval(secs => $1 / 1000.0)`,
        [longest],
      ),
    );
  }

  private recipientKey(address: string): string {
    return this.cipher.opaqueKey(`mailbox:${mailboxOf(address)}`);
  }
}

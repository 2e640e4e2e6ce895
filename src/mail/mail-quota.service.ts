import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { Env } from '../config/env.validation';
import { affectedCount } from '../database/query-result';
import { StatementPart } from '../database/statement-parts';
import { mailboxOf } from '../common/mailbox';
import { MailClass, mailLimit, MailLimit, RESERVE_MAILS } from './mail-quota';
import { OutboxCipher } from './outbox-crypto';

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
    return { sql: RESERVE_MAILS, parameters, read: (rows) => rows.length > 0 };
  }

  /** The batched form: the addresses (as given) whose mail may go; one statement for all of them. */
  async reserveMany(manager: EntityManager, addresses: readonly string[], mailClass: MailClass): Promise<Set<string>> {
    if (addresses.length === 0) return new Set();
    const { parameters, keys } = this.reservation(addresses, mailClass);
    const rows = await manager.query<{ recipient_key: string }[]>(RESERVE_MAILS, parameters);
    return new Set(rows.flatMap((row) => keys.get(row.recipient_key) ?? []));
  }

  /** RESERVE_MAILS's parameters for the addresses, and the addresses behind each recipient key. */
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

import { durationToMs } from '../config/env.validation';

/**
 * The classes of mail, each capped per recipient: links (confirmation, unsubscribe links, notices
 * about a registration), handover requests to a building's holder, new-neighbour notes and contact
 * overviews. Links and handover requests also keep a quiet period between two mails.
 */
export const MAIL_CLASSES = ['links', 'handover', 'neighbours', 'overviews'] as const;
export type MailClass = (typeof MAIL_CLASSES)[number];

export type MailLimit = { limit: number; windowMs: number; quietMs: number };

/** A limit such as `3/1d`, with a quiet period between two mails (none when null). */
export function mailLimit(rate: string, quietPeriod: string | null): MailLimit {
  const [limit, window] = rate.split('/');
  return { limit: Number(limit), windowMs: durationToMs(window), quietMs: quietPeriod === null ? 0 : durationToMs(quietPeriod) };
}

/**
 * Counts mails to recipients (one row per recipient key and class), returning the keys whose mails
 * may go. now() is each transaction's start: a concurrent one may have stamped a later time, hence no
 * quiet check at 0. $1 recipient keys, $2 mails per key, $3 class, $4 limit, $5 window ms, $6 quiet ms.
 */
export const RESERVE_MAILS = `INSERT INTO mail_recipient_quota AS q (recipient_key, mail_class, window_started_at, sent, last_sent_at)
  SELECT key, $3, now(), n, now() FROM unnest($1::varchar[], $2::int[]) AS r(key, n) WHERE n <= $4
  ON CONFLICT (recipient_key, mail_class) DO UPDATE SET
    window_started_at = CASE WHEN q.window_started_at <= now() - make_interval(secs => $5 / 1000.0) THEN now() ELSE q.window_started_at END,
    sent = CASE WHEN q.window_started_at <= now() - make_interval(secs => $5 / 1000.0) THEN EXCLUDED.sent ELSE q.sent + EXCLUDED.sent END,
    last_sent_at = now()
  WHERE ($6 = 0 OR q.last_sent_at <= now() - make_interval(secs => $6 / 1000.0))
    AND (q.window_started_at <= now() - make_interval(secs => $5 / 1000.0) OR q.sent + EXCLUDED.sent <= $4)
  RETURNING recipient_key`;

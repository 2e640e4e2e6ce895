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

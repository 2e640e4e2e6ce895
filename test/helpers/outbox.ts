import { DataSource } from 'typeorm';
import { MailComposers } from '../../src/mail/mail-composers';
import { decryptMessage, isDeferred, RenderedMessage } from '../../src/mail/outbox-crypto';
import { TEST_APP_SECRET } from './test-database';

export type QueuedMail = { id: string; kind: string; buildingId: string | null; status: string; to: string; subject: string; text: string; html: string };

const NOTHING: RenderedMessage = { to: '', subject: '', text: '', html: '' };

/**
 * The outbox as a person reading the mails would see it (decrypted with the test secret). Mails that
 * wait unrendered (contact overviews) are composed as the worker would send them now, when the app's
 * composers are given; otherwise their text is empty.
 */
export async function readOutbox(dataSource: DataSource, composers?: MailComposers): Promise<QueuedMail[]> {
  const rows = await dataSource.query<{ id: string; kind: string; building_id: string | null; mentions: string[]; status: string; payload: Buffer | null }[]>(
    'SELECT id, kind, building_id, mentions, status, payload FROM mail_outbox ORDER BY id',
  );
  const mails: QueuedMail[] = [];
  for (const row of rows) {
    const payload = row.payload ? decryptMessage(TEST_APP_SECRET, row.payload) : NOTHING;
    const message = isDeferred(payload)
      ? ((await composers?.compose(payload, { buildingId: row.building_id, mentions: row.mentions }))?.message ?? NOTHING)
      : payload;
    mails.push({ id: row.id, kind: row.kind, buildingId: row.building_id, status: row.status, ...message });
  }
  return mails;
}

const LINK = (path: string) => new RegExp(`/${path}/([A-Za-z0-9_-]{43})`);

export function linkToken(mail: QueuedMail, path: 'confirm' | 'unsubscribe'): string {
  const match = LINK(path).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in mail ${mail.id}`);
  return match[1];
}

/** The latest mail of a kind to a building. */
export async function latestMail(dataSource: DataSource, buildingId: string, kind = 'verification'): Promise<QueuedMail> {
  const mails = (await readOutbox(dataSource)).filter((mail) => mail.buildingId === buildingId && mail.kind === kind);
  const mail = mails.at(-1);
  if (!mail) throw new Error(`no ${kind} mail for ${buildingId}`);
  return mail;
}

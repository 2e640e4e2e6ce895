import { DataSource } from 'typeorm';
import { decryptMessage } from '../../src/mail/outbox-crypto';
import { TEST_APP_SECRET } from './test-database';

export type QueuedMail = { id: string; kind: string; buildingId: string | null; status: string; to: string; subject: string; text: string; html: string };

/** The outbox as a person reading the mails would see it (decrypted with the test secret). */
export async function readOutbox(dataSource: DataSource): Promise<QueuedMail[]> {
  const rows = await dataSource.query<{ id: string; kind: string; building_id: string | null; status: string; payload: Buffer | null }[]>(
    'SELECT id, kind, building_id, status, payload FROM mail_outbox ORDER BY id',
  );
  return rows.map((row) => {
    const message = row.payload ? decryptMessage(TEST_APP_SECRET, row.payload) : { to: '', subject: '', text: '', html: '' };
    return { id: row.id, kind: row.kind, buildingId: row.building_id, status: row.status, ...message };
  });
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

import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './smtp-test-server';
import { startTestApp, TestApp } from './test-app';
import { createTestDatabase, DatabaseMode, defaultMode, testEnv, TestDatabase } from './test-database';

export type AppWithSmtp = { database: TestDatabase; smtp: SmtpTestServer; sut: TestApp; close: () => Promise<void> };

/** The application on a database of its own, delivering its mails to a real SMTP server that keeps them. */
export async function startAppWithSmtp(overrides: Record<string, string> = {}, mode: DatabaseMode = defaultMode()): Promise<AppWithSmtp> {
  const database = await createTestDatabase(mode);
  const smtp = await startSmtpTestServer();
  const sut = await startTestApp(testEnv(database, { SMTP_URL: smtp.url, ...overrides }));
  return {
    database,
    smtp,
    sut,
    close: async () => {
      await sut.close();
      await smtp.close();
      await database.drop();
    },
  };
}

/** The token of the link to `path` in a delivered mail. */
export function linkIn(mail: ReceivedMail, path: 'confirm' | 'unsubscribe' | 'handover'): string {
  const match = new RegExp(`/${path}/([A-Za-z0-9_-]{43})`).exec(mail.body);
  if (!match) throw new Error(`no ${path} link in "${mail.header('subject')}"`);
  return match[1];
}

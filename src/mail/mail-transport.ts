import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';
import { Env } from '../config/env.validation';

/** One fully rendered e-mail, ready to hand to a mail server. */
export type OutgoingMail = {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Including the angle brackets, e.g. `<0123…@leg-match.ch>`. */
  messageId: string;
  headers?: Record<string, string>;
};

/** The port the outbox worker sends through; the implementation is chosen by SMTP_URL. */
export abstract class MailTransport {
  /** What this transport is, for logs: never contains credentials. */
  abstract readonly description: string;
  /** Resolves once the mail is accepted (by the SMTP server or the file system); rejects otherwise. */
  abstract send(mail: OutgoingMail): Promise<void>;
  /** Erasure: deletes what this transport kept of the mails with these Message-IDs. */
  abstract discard(messageIds: string[]): Promise<void>;
  abstract close(): void;
}

const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers,
  };
}

/** Delivers through the SMTP server in SMTP_URL (smtp:// with STARTTLS when offered, smtps:// for implicit TLS). */
export class SmtpMailTransport extends MailTransport implements OnApplicationShutdown {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(url: string) {
    super();
    const parsed = new URL(url);
    this.description = `SMTP ${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
    this.transporter = createTransport({ url, ...SMTP_TIMEOUTS });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(toNodemailer(mail));
  }

  /** A mail accepted by the SMTP server has left this system: nothing of it is kept here. */
  discard(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.transporter.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }
}

/** The file of a development mail: named after the unique part of its Message-ID. */
function developmentFileName(messageId: string): string {
  return `${messageId.replace(/[<>]/g, '').split('@')[0].replace(/[^A-Za-z0-9_-]/g, '')}.eml`;
}

/** Without SMTP_URL: each mail becomes an .eml file in DATA_DIR/mail, to open in any mail program. */
export class DevelopmentMailTransport extends MailTransport {
  readonly description: string;
  private readonly logger = new Logger('MailTransport');
  private readonly composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(private readonly directory: string) {
    super();
    this.description = `development files in ${directory}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.composer.sendMail(toNodemailer(mail))) as { message: Buffer };
    await mkdir(this.directory, { recursive: true });
    const file = join(this.directory, developmentFileName(mail.messageId));
    // Written beside and renamed: a mail program watching the folder never opens a half-written file.
    const partial = `${file}.partial`;
    await writeFile(partial, info.message, { mode: 0o600 });
    await rename(partial, file);
    this.logger.log(`Development mail written to ${file}`);
  }

  async discard(messageIds: string[]): Promise<void> {
    for (const messageId of messageIds) await rm(join(this.directory, developmentFileName(messageId)), { force: true });
  }

  close(): void {
    this.composer.close();
  }
}

export const mailTransportProvider: Provider = {
  provide: MailTransport,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>): MailTransport => {
    const url = config.get('SMTP_URL', { infer: true });
    if (url) return new SmtpMailTransport(url);
    return new DevelopmentMailTransport(join(config.get('DATA_DIR', { infer: true }), 'mail'));
  },
};

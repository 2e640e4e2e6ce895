import { Module } from '@nestjs/common';
import { mailTransportProvider } from './mail-transport';
import { MailService } from './mail.service';
import { OutboxCipher } from './outbox-crypto';
import { OutboxWorker } from './outbox.worker';

/** The transactional mail outbox: MailService queues inside the caller's transaction, OutboxWorker sends. */
@Module({
  providers: [OutboxCipher, MailService, OutboxWorker, mailTransportProvider],
  exports: [MailService, OutboxWorker],
})
export class MailModule {}

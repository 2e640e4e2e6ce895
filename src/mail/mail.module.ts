import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailComposers } from './mail-composers';
import { mailTransportProvider } from './mail-transport';
import { MailQuota } from './mail-quota.service';
import { MailRecipientQuota } from './mail-recipient-quota.entity';
import { MailService } from './mail.service';
import { OutboxCipher } from './outbox-crypto';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxWorker } from './outbox.worker';

/** The transactional mail outbox: MailService queues inside the caller's transaction, OutboxWorker sends. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage, MailRecipientQuota])],
  providers: [OutboxCipher, MailService, MailQuota, MailComposers, OutboxWorker, mailTransportProvider],
  exports: [MailService, MailQuota, MailComposers, OutboxWorker],
})
export class MailModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mailTransportProvider } from './mail-transport';
import { MailService } from './mail.service';
import { OutboxCipher } from './outbox-crypto';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxWorker } from './outbox.worker';

/** The transactional mail outbox: MailService queues inside the caller's transaction, OutboxWorker sends. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [OutboxCipher, MailService, OutboxWorker, mailTransportProvider],
  exports: [MailService, OutboxWorker],
})
export class MailModule {}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How many mails of a class one recipient has been sent in the current window, and when the last
 * went out. The recipient is stored only as an HMAC of the lower-cased address.
 */
@Entity({ name: 'mail_recipient_quota' })
@Index('idx_mail_recipient_quota_last_sent', ['lastSentAt'])
export class MailRecipientQuota {
  @PrimaryColumn({ name: 'recipient_key', type: 'varchar', length: 64, primaryKeyConstraintName: 'PK_mail_recipient_quota' })
  recipientKey!: string;

  @PrimaryColumn({ name: 'mail_class', type: 'varchar', length: 16, primaryKeyConstraintName: 'PK_mail_recipient_quota' })
  mailClass!: string;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ type: 'integer' })
  sent!: number;

  @Column({ name: 'last_sent_at', type: 'timestamptz' })
  lastSentAt!: Date;
}

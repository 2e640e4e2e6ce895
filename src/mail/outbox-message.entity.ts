import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * One e-mail, written in the same transaction as the change that causes it. The message itself
 * (recipient, subject, bodies with their links) is encrypted with a key derived from APP_SECRET and
 * dropped once sent, so the table never holds a usable link or another person's contact data in clear.
 */
@Entity({ name: 'mail_outbox' })
@Index('idx_mail_outbox_due', ['nextAttemptAt'], { where: "status = 'pending'" })
@Index('idx_mail_outbox_building', ['buildingId'])
// GIN over mentions: erasure and the disclosure record look up the mails that name a building.
@Index('idx_mail_outbox_mentions', { synchronize: false })
@Check('chk_mail_outbox_status', "status IN ('pending', 'sent', 'failed')")
export class OutboxMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, unique: true })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ name: 'building_id', type: 'varchar', length: 100, nullable: true })
  buildingId!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  mentions!: string[];

  @Column({ type: 'bytea', nullable: true })
  payload!: Buffer | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

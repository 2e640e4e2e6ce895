import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RecordType } from '../../building-records/building-record';
import type { ClaimedRecord } from './claim.store';

/**
 * A registration for a building that someone else holds confirmed. It changes nothing until its
 * claimant has confirmed their e-mail and the holder has agreed, or has been told and not objected
 * within HANDOVER_WAIT. Its links are stored as hashes, like every token.
 */
@Entity({ name: 'registration_claims' })
@Index('uq_registration_claims_building_email', ['buildingId', 'email'], { unique: true })
@Index('idx_registration_claims_expiry', ['expiresAt'], { where: 'confirmed_at IS NULL' })
@Index('idx_registration_claims_due', ['applyAfter'], { where: 'apply_after IS NOT NULL' })
// The mailbox of email (common/mailbox.ts), for the mailbox limit (an expression index TypeORM cannot declare).
@Index('idx_registration_claims_email', { synchronize: false })
@Check('chk_registration_claims_type', "record_type IN ('registered', 'anonymous')")
export class RegistrationClaim {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'PK_registration_claims' })
  id!: string;

  @Column({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  @Column({ name: 'record_type', type: 'varchar', length: 10 })
  recordType!: RecordType;

  /** The building as the address check signed it, with the claimant's figures. */
  @Column({ type: 'jsonb' })
  record!: ClaimedRecord;

  @Column({ name: 'claim_token_hash', type: 'char', length: 64, unique: true })
  claimTokenHash!: string;

  @Column({ name: 'holder_token_hash', type: 'char', length: 64, nullable: true, unique: true })
  holderTokenHash!: string | null;

  /** The holder who was asked: the handover applies only while the building is still theirs. */
  @Column({ name: 'holder_email', type: 'varchar', length: 320, nullable: true })
  holderEmail!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** When the claimant's confirmation link expires. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'apply_after', type: 'timestamptz', nullable: true })
  applyAfter!: Date | null;
}

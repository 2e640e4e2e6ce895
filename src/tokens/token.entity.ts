import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TokenKind } from './token-format';

/** A link token, stored only as the SHA-256 of what was mailed, so a copy of the database opens no link. */
@Entity({ name: 'tokens' })
@Index('idx_tokens_building', ['buildingId', 'kind'])
@Index('idx_tokens_verification_expiry', ['expiresAt'], { where: "kind = 'verification'" })
@Check('chk_tokens_kind', "kind IN ('verification', 'unsubscribe')")
@Check('chk_tokens_hash', "token_hash ~ '^[0-9a-f]{64}$'")
@Check('chk_tokens_expiry', "kind = 'unsubscribe' OR expires_at IS NOT NULL")
export class Token {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: TokenKind;

  @Column({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One rate-limit counter: a budget and a client, shared by every replica. The key is a digest, so
 * the table holds no client address.
 */
@Entity({ name: 'rate_limit_counters' })
@Index('idx_rate_limit_counters_expiry', ['expiresAt'])
export class RateLimitCounter {
  /** SHA-256 of the budget and the guard's key (itself an HMAC of the client). */
  @PrimaryColumn({ type: 'bytea', primaryKeyConstraintName: 'PK_rate_limit_counters' })
  key!: Buffer;

  /** Hits counted in the current window (not counted while blocked). */
  @Column({ type: 'integer' })
  hits!: number;

  /** End of the window, or of the block when that is later: after it the row means nothing and is swept. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;
}

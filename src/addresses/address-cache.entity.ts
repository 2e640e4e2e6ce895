import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A directory answer kept for a while (ADDRESS_CACHE_TTL), so that a popular address is not looked
 * up again on every keystroke. Keys are hashes of the normalised text, never the typed text itself.
 */
@Entity({ name: 'address_cache' })
@Index('idx_address_cache_expiry', ['expiresAt'])
export class AddressCacheEntry {
  @PrimaryColumn({ name: 'cache_key', type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

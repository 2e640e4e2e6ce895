import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Work for the next recomputation, written in the transaction of the change that causes it: a
 * building whose record changed (building only), a community whose contact lists must all be looked
 * at again (community only), or the lists of a community around one of its members (both).
 * Survives restarts and is shared by all replicas.
 */
@Entity({ name: 'community_pending_changes' })
@Index('idx_community_pending_changes_noted', ['notedAt'])
export class PendingChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'building_id', type: 'varchar', length: 100, nullable: true })
  buildingId!: string | null;

  @Column({ name: 'community_id', type: 'varchar', length: 40, nullable: true })
  communityId!: string | null;

  @Column({ name: 'noted_at', type: 'timestamptz', default: () => 'now()' })
  notedAt!: Date;
}

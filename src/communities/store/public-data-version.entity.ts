import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Bumped in every transaction that changes what the public sees (markers, communities): every
 * replica reads this one row to answer 304 or to know its prepared responses are stale.
 */
@Entity({ name: 'public_data_version' })
@Check('chk_public_data_version_singleton', 'id = 1')
export class PublicDataVersion {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

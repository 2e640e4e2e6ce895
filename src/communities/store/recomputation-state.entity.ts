import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The single row that says which state of the data the stored communities were computed from. */
@Entity({ name: 'community_recomputation' })
@Check('chk_community_recomputation_singleton', 'id = 1')
export class RecomputationState {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  @Column({ name: 'source_fingerprint', type: 'varchar', length: 200 })
  sourceFingerprint!: string;
}

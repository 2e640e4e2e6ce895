import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The single row that says when the last full pass ran and whether one is due. */
@Entity({ name: 'community_recomputation' })
@Check('chk_community_recomputation_singleton', 'id = 1')
export class RecomputationState {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  /** Set by an import (or an upgrade) that changed records without notifying: the next start runs a full pass. */
  @Column({ name: 'full_pass_due', type: 'boolean', default: false })
  fullPassDue!: boolean;
}

import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import { CommunityMember } from './community-member.entity';

export type Position = { lat: number; lon: number };

/** A candidate LEG as of the last recomputation; positions are jittered, so rows are safe to publish. */
@Entity({ name: 'communities' })
export class Community {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'integer' })
  rank!: number;

  @Column({ name: 'num_members', type: 'integer' })
  numMembers!: number;

  @Column({ name: 'autarky_percent', type: 'double precision' })
  autarkyPercent!: number;

  @Column({ name: 'total_consumption_mwh', type: 'double precision' })
  totalConsumptionMwh!: number;

  @Column({ name: 'total_production_mwh', type: 'double precision' })
  totalProductionMwh!: number;

  @Column({ name: 'member_positions', type: 'jsonb' })
  memberPositions!: Position[];

  @Column({ type: 'jsonb' })
  polygon!: [number, number][];

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  @OneToMany(() => CommunityMember, (member) => member.community)
  members?: CommunityMember[];
}

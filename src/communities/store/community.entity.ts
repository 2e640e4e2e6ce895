import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A candidate LEG: its members are the community_buildings rows naming it. The exact totals stay
 * inside the service; the public sees them coarsened, and the hull of the members' public positions.
 */
@Entity({ name: 'communities' })
@Index('idx_communities_autarky', ['autarkyPercent'])
export class Community {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'num_members', type: 'integer' })
  numMembers!: number;

  @Column({ name: 'total_consumption_kwh', type: 'double precision' })
  totalConsumptionKwh!: number;

  @Column({ name: 'total_pv_kwp', type: 'double precision' })
  totalPvKwp!: number;

  @Column({ name: 'autarky_percent', type: 'double precision' })
  autarkyPercent!: number;

  /** The smallest member id: the engine's last tie-break, kept so a change need not read every member. */
  @Column({ name: 'first_member_id', type: 'varchar', length: 100 })
  firstMemberId!: string;

  /** Vertices of the convex hull of the members' public positions, as [lat, lon]. */
  @Column({ type: 'jsonb' })
  hull!: [number, number][];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Community } from './community.entity';

@Entity({ name: 'cluster_members' })
@Index('uq_cluster_members_building', ['buildingId'], { unique: true })
export class CommunityMember {
  @PrimaryColumn({ name: 'cluster_id', type: 'varchar', length: 40 })
  clusterId!: string;

  @PrimaryColumn({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @ManyToOne(() => Community, (community) => community.members, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cluster_id' })
  community?: Community;

  @Column({ name: 'registered', type: 'boolean' })
  registered!: boolean;
}

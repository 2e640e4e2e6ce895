import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Community } from './community.entity';

/** A building's place in a community; a building belongs to one community at most. */
@Entity({ name: 'community_members' })
@Index('uq_community_members_building', ['buildingId'], { unique: true })
export class CommunityMember {
  @PrimaryColumn({ name: 'community_id', type: 'varchar', length: 40 })
  communityId!: string;

  @PrimaryColumn({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @ManyToOne(() => Community, (community) => community.members, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'community_id' })
  community?: Community;

  @Column({ name: 'registered', type: 'boolean' })
  registered!: boolean;
}

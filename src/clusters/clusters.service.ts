import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CommunityMember } from './community-member.entity';
import { Community } from './community.entity';
import { ContactState } from './contact-state.entity';

export type StoredCommunity = Omit<Community, 'members'> & { memberIds: { buildingId: string; registered: boolean }[] };

@Injectable()
export class ClustersService {
  /** Replaces every stored community at once, so a reader sees the old set or the new one. */
  async replaceCommunities(manager: EntityManager, communities: StoredCommunity[]): Promise<void> {
    await manager.query('DELETE FROM cluster_members');
    await manager.query('DELETE FROM clusters');
    if (communities.length === 0) return;
    await manager.getRepository(Community).insert(communities.map(({ memberIds: _members, ...community }) => community));
    const members = communities.flatMap((community) =>
      community.memberIds.map((member) => ({ clusterId: community.id, ...member })),
    );
    await manager.getRepository(CommunityMember).insert(members);
  }

  findRanked(manager: EntityManager): Promise<Community[]> {
    return manager.getRepository(Community).find({ order: { rank: 'ASC' } });
  }

  findContactState(manager: EntityManager, clusterId: string): Promise<ContactState | null> {
    return manager.getRepository(ContactState).findOneBy({ clusterId });
  }

  async saveContactState(manager: EntityManager, clusterId: string, buildingIds: string[], at: Date): Promise<void> {
    await manager.getRepository(ContactState).upsert({ clusterId, buildingIds: [...buildingIds].sort(), notifiedAt: at }, ['clusterId']);
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Community } from './community.entity';
import { ContactState } from './contact-state.entity';
import { RecomputationState } from './recomputation-state.entity';

export type StoredCommunity = Omit<Community, 'members'> & { memberIds: { buildingId: string; registered: boolean }[] };

/** Storage of the computed communities and of who was last told about whom: the owner of their tables. */
@Injectable()
export class CommunityStore {
  /**
   * Replaces every stored community in the caller's transaction, so a reader sees the old set or
   * the new one. Two statements with arrays instead of one INSERT per row: 100 000 members in one round trip.
   */
  async replaceCommunities(manager: EntityManager, communities: StoredCommunity[]): Promise<void> {
    await manager.query('DELETE FROM community_members');
    await manager.query('DELETE FROM communities');
    if (communities.length === 0) return;
    await manager.query(
      `INSERT INTO communities (id, rank, num_members, autarky_percent, total_consumption_mwh, total_production_mwh, member_positions, polygon, computed_at)
       SELECT * FROM unnest($1::varchar[], $2::int[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::jsonb[], $8::jsonb[], $9::timestamptz[])`,
      [
        communities.map((c) => c.id),
        communities.map((c) => c.rank),
        communities.map((c) => c.numMembers),
        communities.map((c) => c.autarkyPercent),
        communities.map((c) => c.totalConsumptionMwh),
        communities.map((c) => c.totalProductionMwh),
        communities.map((c) => JSON.stringify(c.memberPositions)),
        communities.map((c) => JSON.stringify(c.polygon)),
        communities.map((c) => c.computedAt.toISOString()),
      ],
    );
    const members = communities.flatMap((c) => c.memberIds.map((member) => ({ communityId: c.id, ...member })));
    await manager.query(
      `INSERT INTO community_members (community_id, building_id, registered)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::boolean[])`,
      [members.map((m) => m.communityId), members.map((m) => m.buildingId), members.map((m) => m.registered)],
    );
  }

  /** Member ids of every stored community, for keeping community ids stable. */
  async findMemberships(manager: EntityManager): Promise<Map<string, string[]>> {
    const rows = await manager.query<{ community_id: string; ids: string[] }[]>(
      'SELECT community_id, array_agg(building_id ORDER BY building_id) AS ids FROM community_members GROUP BY community_id',
    );
    return new Map(rows.map((row) => [row.community_id, row.ids]));
  }

  /** Which community each building belongs to (for the export). */
  async findCommunityOfEachBuilding(manager: EntityManager): Promise<Map<string, string>> {
    const rows = await manager.query<{ building_id: string; community_id: string }[]>(
      'SELECT building_id, community_id FROM community_members ORDER BY building_id',
    );
    return new Map(rows.map((row) => [row.building_id, row.community_id]));
  }

  /** Takes a deleted building out of its community and out of every contact state. */
  async forgetBuilding(manager: EntityManager, buildingId: string): Promise<void> {
    await manager.query('DELETE FROM community_members WHERE building_id = $1', [buildingId]);
    await manager.query(
      'UPDATE community_contact_state SET building_ids = array_remove(building_ids, $1) WHERE $1 = ANY(building_ids)',
      [buildingId],
    );
  }

  findRanked(manager: EntityManager): Promise<Community[]> {
    return manager.getRepository(Community).find({ order: { rank: 'ASC' } });
  }

  findContactState(manager: EntityManager, communityId: string): Promise<ContactState | null> {
    return manager.getRepository(ContactState).findOneBy({ communityId });
  }

  async findContactStates(manager: EntityManager): Promise<Map<string, string[]>> {
    const states = await manager.getRepository(ContactState).find({ order: { communityId: 'ASC' } });
    return new Map(states.map((state) => [state.communityId, state.buildingIds]));
  }

  async saveContactState(manager: EntityManager, communityId: string, buildingIds: string[], at: Date): Promise<void> {
    await manager
      .getRepository(ContactState)
      .upsert({ communityId, buildingIds: [...buildingIds].sort(), notifiedAt: at }, ['communityId']);
  }

  findRecomputation(manager: EntityManager): Promise<RecomputationState | null> {
    return manager.getRepository(RecomputationState).findOneBy({ id: 1 });
  }

  async saveRecomputation(manager: EntityManager, sourceFingerprint: string, computedAt: Date): Promise<void> {
    await manager.getRepository(RecomputationState).upsert({ id: 1, sourceFingerprint, computedAt }, ['id']);
  }
}

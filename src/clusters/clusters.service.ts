import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CommunityMember } from './community-member.entity';
import { Community } from './community.entity';
import { ContactState } from './contact-state.entity';
import { Recomputation } from './recomputation.entity';

export type StoredCommunity = Omit<Community, 'members'> & { memberIds: { buildingId: string; registered: boolean }[] };

/** Storage of the computed communities and of who was last told about whom. */
@Injectable()
export class ClustersService {
  /**
   * Replaces every stored community in the caller's transaction, so a reader sees the old set or
   * the new one. Two statements with arrays instead of one INSERT per row: 100 000 members in one round trip.
   */
  async replaceCommunities(manager: EntityManager, communities: StoredCommunity[]): Promise<void> {
    await manager.query('DELETE FROM cluster_members');
    await manager.query('DELETE FROM clusters');
    if (communities.length === 0) return;
    await manager.query(
      `INSERT INTO clusters (id, rank, num_members, autarky_percent, total_consumption_mwh, total_production_mwh, member_positions, polygon, computed_at)
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
    const members = communities.flatMap((c) => c.memberIds.map((member) => ({ clusterId: c.id, ...member })));
    await manager.query(
      `INSERT INTO cluster_members (cluster_id, building_id, registered)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::boolean[])`,
      [members.map((m) => m.clusterId), members.map((m) => m.buildingId), members.map((m) => m.registered)],
    );
  }

  /** Member ids of every stored community, for keeping community ids stable. */
  async findMemberships(manager: EntityManager): Promise<Map<string, string[]>> {
    const rows = await manager.query<{ cluster_id: string; ids: string[] }[]>(
      'SELECT cluster_id, array_agg(building_id ORDER BY building_id) AS ids FROM cluster_members GROUP BY cluster_id',
    );
    return new Map(rows.map((row) => [row.cluster_id, row.ids]));
  }

  /** Takes a deleted building out of its community and out of every contact state. */
  async forgetBuilding(manager: EntityManager, buildingId: string): Promise<void> {
    await manager.getRepository(CommunityMember).delete({ buildingId });
    await manager.query(
      'UPDATE cluster_contact_state SET building_ids = array_remove(building_ids, $1) WHERE $1 = ANY(building_ids)',
      [buildingId],
    );
  }

  findRanked(manager: EntityManager): Promise<Community[]> {
    return manager.getRepository(Community).find({ order: { rank: 'ASC' } });
  }

  findContactState(manager: EntityManager, clusterId: string): Promise<ContactState | null> {
    return manager.getRepository(ContactState).findOneBy({ clusterId });
  }

  async findContactStates(manager: EntityManager): Promise<Map<string, string[]>> {
    const states = await manager.getRepository(ContactState).find();
    return new Map(states.map((state) => [state.clusterId, state.buildingIds]));
  }

  async saveContactState(manager: EntityManager, clusterId: string, buildingIds: string[], at: Date): Promise<void> {
    await manager
      .getRepository(ContactState)
      .upsert({ clusterId, buildingIds: [...buildingIds].sort(), notifiedAt: at }, ['clusterId']);
  }

  findRecomputation(manager: EntityManager): Promise<Recomputation | null> {
    return manager.getRepository(Recomputation).findOneBy({ id: 1 });
  }

  async saveRecomputation(manager: EntityManager, sourceFingerprint: string, computedAt: Date): Promise<void> {
    await manager.getRepository(Recomputation).upsert({ id: 1, sourceFingerprint, computedAt }, ['id']);
  }
}

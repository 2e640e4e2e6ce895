import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { affectedCount, rowsOf } from '../../database/query-result';
import { LatLonBox as BoundingBox } from '../../geo/geo-box';
import type { Overlap } from '../engine/community-id';

/** A confirmed registration as the communities see it (see CommunityBuilding), as rows come back. */
export type SnapshotRow = {
  building_id: string;
  community_id: string | null;
  registered: boolean;
  lat: number;
  lon: number;
  public_lat: number;
  public_lon: number;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
  z_key: number;
  confirmed_at: Date;
};

export type CommunityRow = {
  id: string;
  num_members: number;
  total_consumption_kwh: number;
  total_pv_kwp: number;
  autarky_percent: number;
  first_member_id: string;
  hull: [number, number][];
};

/** A confirmed full registration of a community, as its contact list is cut. */
export type ContactMemberRow = { building_id: string; z_key: number; confirmed_at: Date };

/** A community's contact lists to look at around one of its members (where a member left, the next one). */
export type ListsAround = { communityId: string; buildingId: string };

export type PendingWork = { buildingIds: string[]; communityIds: string[]; around: ListsAround[] };

const SNAPSHOT_COLUMNS =
  'building_id, community_id, registered, lat, lon, public_lat, public_lon, annual_consumption_kwh, potential_pv_kwp, z_key, confirmed_at';
const COMMUNITY_COLUMNS = 'id, num_members, total_consumption_kwh, total_pv_kwp, autarky_percent, first_member_id, hull';
/** Rows per multi-row statement when whole tables are written: bounded memory and statement size. */
const WRITE_BATCH = 10_000;

function chunks<T>(items: readonly T[], size = WRITE_BATCH): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * The only code that touches the community tables: the snapshot of confirmed registrations, the
 * communities, the contact lists and seeds, the pending changes and the recomputation state. Every
 * method takes the caller's EntityManager, so that it joins the caller's transaction.
 */
@Injectable()
export class CommunityStore {
  // --- the snapshot of confirmed registrations ---

  snapshotOf(manager: EntityManager, buildingIds: readonly string[]): Promise<SnapshotRow[]> {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return manager.query<SnapshotRow[]>(`SELECT ${SNAPSHOT_COLUMNS} FROM community_buildings WHERE building_id = ANY($1::varchar[])`, [buildingIds]);
  }

  /** Registrations whose exact position lies in the box (the caller applies the exact radius). */
  snapshotInBox(manager: EntityManager, box: BoundingBox): Promise<SnapshotRow[]> {
    return manager.query<SnapshotRow[]>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM community_buildings WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4`,
      [box.minLat, box.maxLat, box.minLon, box.maxLon],
    );
  }

  /** Registrations whose public position lies in the box (what the map shows there). */
  snapshotInPublicBox(manager: EntityManager, box: BoundingBox): Promise<SnapshotRow[]> {
    return manager.query<SnapshotRow[]>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM community_buildings WHERE public_lat BETWEEN $1 AND $2 AND public_lon BETWEEN $3 AND $4`,
      [box.minLat, box.maxLat, box.minLon, box.maxLon],
    );
  }

  membersOf(manager: EntityManager, communityIds: readonly string[]): Promise<SnapshotRow[]> {
    if (communityIds.length === 0) return Promise.resolve([]);
    return manager.query<SnapshotRow[]>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM community_buildings WHERE community_id = ANY($1::varchar[]) ORDER BY building_id COLLATE "C"`,
      [communityIds],
    );
  }

  contactMembersOf(manager: EntityManager, communityId: string): Promise<ContactMemberRow[]> {
    return manager.query<ContactMemberRow[]>(
      'SELECT building_id, z_key, confirmed_at FROM community_buildings WHERE community_id = $1 AND registered',
      [communityId],
    );
  }

  /**
   * The confirmed full registrations of a community in contact order around a place in it: up to
   * `reach` members before it and `reach` from it on (the index on community and Z-order key makes
   * this cost the window, not the community). One statement.
   */
  async contactWindowOf(
    manager: EntityManager,
    communityId: string,
    around: Pick<ContactMemberRow, 'building_id' | 'z_key'>,
    reach: number,
  ): Promise<{ before: ContactMemberRow[]; from: ContactMemberRow[] }> {
    const rows = await manager.query<(ContactMemberRow & { side: 'before' | 'from' })[]>(
      `(SELECT 'before' AS side, building_id, z_key, confirmed_at FROM community_buildings
        WHERE community_id = $1 AND registered AND z_key <= $2 AND (z_key < $2 OR building_id COLLATE "C" < $3)
        ORDER BY z_key DESC, building_id COLLATE "C" DESC LIMIT $4)
       UNION ALL
       (SELECT 'from', building_id, z_key, confirmed_at FROM community_buildings
        WHERE community_id = $1 AND registered AND z_key >= $2 AND (z_key > $2 OR building_id COLLATE "C" >= $3)
        ORDER BY z_key, building_id COLLATE "C" LIMIT $4)`,
      [communityId, around.z_key, around.building_id, reach],
    );
    const member = ({ building_id, z_key, confirmed_at }: ContactMemberRow): ContactMemberRow => ({ building_id, z_key, confirmed_at });
    return {
      before: rows.filter((row) => row.side === 'before').map(member).reverse(),
      from: rows.filter((row) => row.side === 'from').map(member),
    };
  }

  async firstMemberOf(manager: EntityManager, communityId: string): Promise<string> {
    const [row] = await manager.query<{ first: string }[]>(
      'SELECT min(building_id COLLATE "C") AS first FROM community_buildings WHERE community_id = $1',
      [communityId],
    );
    return row.first;
  }

  /** Inserts or replaces snapshot rows in one statement. */
  async saveSnapshot(manager: EntityManager, rows: readonly SnapshotRow[]): Promise<void> {
    for (const batch of chunks(rows)) {
      await manager.query(
        `INSERT INTO community_buildings (${SNAPSHOT_COLUMNS})
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::boolean[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
                              $8::float8[], $9::float8[], $10::float8[], $11::timestamptz[])
         ON CONFLICT (building_id) DO UPDATE SET
           community_id = EXCLUDED.community_id, registered = EXCLUDED.registered, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
           public_lat = EXCLUDED.public_lat, public_lon = EXCLUDED.public_lon, annual_consumption_kwh = EXCLUDED.annual_consumption_kwh,
           potential_pv_kwp = EXCLUDED.potential_pv_kwp, z_key = EXCLUDED.z_key, confirmed_at = EXCLUDED.confirmed_at`,
        [
          batch.map((r) => r.building_id),
          batch.map((r) => r.community_id),
          batch.map((r) => r.registered),
          batch.map((r) => r.lat),
          batch.map((r) => r.lon),
          batch.map((r) => r.public_lat),
          batch.map((r) => r.public_lon),
          batch.map((r) => r.annual_consumption_kwh),
          batch.map((r) => r.potential_pv_kwp),
          batch.map((r) => r.z_key),
          batch.map((r) => r.confirmed_at.toISOString()),
        ],
      );
    }
  }

  async removeSnapshot(manager: EntityManager, buildingIds: readonly string[]): Promise<void> {
    if (buildingIds.length === 0) return;
    await manager.query('DELETE FROM community_buildings WHERE building_id = ANY($1::varchar[])', [buildingIds]);
  }

  async assignCommunity(manager: EntityManager, buildingIds: readonly string[], communityId: string | null): Promise<void> {
    if (buildingIds.length === 0) return;
    await manager.query('UPDATE community_buildings SET community_id = $2 WHERE building_id = ANY($1::varchar[])', [buildingIds, communityId]);
  }

  /** Every member of the given communities joins another one (a merge: one statement, however large). */
  async moveMembers(manager: EntityManager, fromCommunityIds: readonly string[], toCommunityId: string): Promise<void> {
    if (fromCommunityIds.length === 0) return;
    await manager.query('UPDATE community_buildings SET community_id = $2 WHERE community_id = ANY($1::varchar[])', [fromCommunityIds, toCommunityId]);
  }

  // --- communities ---

  communitiesByIds(manager: EntityManager, ids: readonly string[]): Promise<CommunityRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.query<CommunityRow[]>(`SELECT ${COMMUNITY_COLUMNS} FROM communities WHERE id = ANY($1::varchar[])`, [ids]);
  }

  /** Every community with its exact figures (the public ones are derived from them). */
  allCommunities(manager: EntityManager): Promise<CommunityRow[]> {
    return manager.query<CommunityRow[]>(`SELECT ${COMMUNITY_COLUMNS} FROM communities`);
  }

  async saveCommunities(manager: EntityManager, rows: readonly CommunityRow[], at: Date): Promise<void> {
    for (const batch of chunks(rows)) {
      await manager.query(
        `INSERT INTO communities (${COMMUNITY_COLUMNS}, updated_at)
         SELECT *, $8::timestamptz FROM unnest($1::varchar[], $2::int[], $3::float8[], $4::float8[], $5::float8[], $6::varchar[], $7::jsonb[])
         ON CONFLICT (id) DO UPDATE SET
           num_members = EXCLUDED.num_members, total_consumption_kwh = EXCLUDED.total_consumption_kwh, total_pv_kwp = EXCLUDED.total_pv_kwp,
           autarky_percent = EXCLUDED.autarky_percent, first_member_id = EXCLUDED.first_member_id, hull = EXCLUDED.hull,
           updated_at = EXCLUDED.updated_at`,
        [
          batch.map((c) => c.id),
          batch.map((c) => c.num_members),
          batch.map((c) => c.total_consumption_kwh),
          batch.map((c) => c.total_pv_kwp),
          batch.map((c) => c.autarky_percent),
          batch.map((c) => c.first_member_id),
          batch.map((c) => JSON.stringify(c.hull)),
          at.toISOString(),
        ],
      );
    }
  }

  async deleteCommunities(manager: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query('DELETE FROM communities WHERE id = ANY($1::varchar[])', [ids]);
  }

  /**
   * The members each new community (by its index in `next`) shares with each previous community, counted by the
   * database a batch of communities at a time: a full pass at country scale cannot afford every previous
   * membership as strings in memory. Together with previousCommunityIds, what assignCommunityIds needs.
   */
  async overlapsWithPrevious(manager: EntityManager, next: readonly (readonly string[])[]): Promise<Overlap[]> {
    const overlaps: Overlap[] = [];
    let buildingIds: string[] = [];
    let indexes: number[] = [];
    const flush = async (): Promise<void> => {
      if (buildingIds.length === 0) return;
      const rows = await manager.query<{ next: number; previous_id: string; shared: number }[]>(
        `SELECT n.next, c.community_id AS previous_id, count(*)::int AS shared
         FROM unnest($1::varchar[], $2::int[]) AS n(building_id, next)
         JOIN community_buildings c ON c.building_id = n.building_id
         WHERE c.community_id IS NOT NULL
         GROUP BY n.next, c.community_id`,
        [buildingIds, indexes],
      );
      for (const row of rows) overlaps.push({ next: row.next, previousId: row.previous_id, shared: row.shared });
      buildingIds = [];
      indexes = [];
    };
    for (let index = 0; index < next.length; index++) {
      for (const member of next[index]) {
        buildingIds.push(member);
        indexes.push(index);
      }
      if (buildingIds.length >= WRITE_BATCH) await flush();
    }
    await flush();
    return overlaps;
  }

  async previousCommunityIds(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>('SELECT id FROM communities');
    return rows.map((row) => row.id);
  }

  /** Which community each building belongs to (for the export). */
  async findCommunityOfEachBuilding(manager: EntityManager): Promise<Map<string, string>> {
    const rows = await manager.query<{ building_id: string; community_id: string }[]>(
      'SELECT building_id, community_id FROM community_buildings WHERE community_id IS NOT NULL ORDER BY building_id',
    );
    return new Map(rows.map((row) => [row.building_id, row.community_id]));
  }

  /** A full pass replaces the snapshot and the communities in the caller's transaction, in batches. */
  async replaceAll(manager: EntityManager, snapshot: readonly SnapshotRow[], communities: readonly CommunityRow[], at: Date): Promise<void> {
    await manager.query('DELETE FROM community_buildings');
    await manager.query('DELETE FROM communities');
    await this.saveCommunities(manager, communities, at);
    await this.saveSnapshot(manager, snapshot);
  }

  // --- contact lists and seeds ---

  async digestsOf(manager: EntityManager, buildingIds: readonly string[]): Promise<Map<string, string>> {
    const digests = new Map<string, string>();
    for (const batch of chunks(buildingIds)) {
      const rows = await manager.query<{ building_id: string; digest: string }[]>(
        'SELECT building_id, digest FROM community_contact_lists WHERE building_id = ANY($1::varchar[])',
        [batch],
      );
      for (const row of rows) digests.set(row.building_id, row.digest);
    }
    return digests;
  }

  async saveDigests(manager: EntityManager, entries: readonly { buildingId: string; digest: string }[], at: Date): Promise<void> {
    for (const batch of chunks(entries)) {
      await manager.query(
        `INSERT INTO community_contact_lists (building_id, digest, notified_at)
         SELECT *, $3::timestamptz FROM unnest($1::varchar[], $2::varchar[])
         ON CONFLICT (building_id) DO UPDATE SET digest = EXCLUDED.digest, notified_at = EXCLUDED.notified_at`,
        [batch.map((e) => e.buildingId), batch.map((e) => e.digest), at.toISOString()],
      );
    }
  }

  /** The list a person last received goes with them (erasure, or a new holder of the building). */
  async forgetContactList(manager: EntityManager, buildingId: string): Promise<void> {
    await manager.query('DELETE FROM community_contact_lists WHERE building_id = $1', [buildingId]);
  }

  /** For each community, its confirmed full registrations that hold a contact list (the export's contact states). */
  async contactListsByCommunity(manager: EntityManager): Promise<Map<string, string[]>> {
    const rows = await manager.query<{ community_id: string; ids: string[] }[]>(
      `SELECT b.community_id, array_agg(b.building_id ORDER BY b.building_id) AS ids
       FROM community_buildings b JOIN community_contact_lists l ON l.building_id = b.building_id
       WHERE b.community_id IS NOT NULL AND b.registered GROUP BY b.community_id ORDER BY b.community_id`,
    );
    return new Map(rows.map((row) => [row.community_id, row.ids]));
  }

  async addSeeds(manager: EntityManager, sets: readonly string[][]): Promise<void> {
    const kept = sets.filter((set) => set.length >= 2);
    for (const batch of chunks(kept)) {
      await manager.query(
        'INSERT INTO community_contact_seeds (building_ids) SELECT ARRAY(SELECT jsonb_array_elements_text(s)) FROM jsonb_array_elements($1::jsonb) AS s',
        [JSON.stringify(batch)],
      );
    }
  }

  async takeSeeds(manager: EntityManager): Promise<string[][]> {
    const result: unknown = await manager.query('DELETE FROM community_contact_seeds RETURNING building_ids');
    return rowsOf<{ building_ids: string[] }>(result).map((row) => row.building_ids);
  }

  // --- pending changes and the recomputation state ---

  async noteBuildingChanges(manager: EntityManager, buildingIds: readonly string[]): Promise<void> {
    if (buildingIds.length === 0) return;
    await manager.query('INSERT INTO community_pending_changes (building_id) SELECT unnest($1::varchar[])', [buildingIds]);
  }

  /**
   * An erased building's noted changes go with it: they would only name it. Lists to look at around
   * it are then looked at throughout its community instead.
   */
  async forgetPendingChanges(manager: EntityManager, buildingId: string): Promise<void> {
    await manager.query('UPDATE community_pending_changes SET building_id = NULL WHERE building_id = $1 AND community_id IS NOT NULL', [buildingId]);
    await manager.query('DELETE FROM community_pending_changes WHERE building_id = $1', [buildingId]);
  }

  async noteContactListChecks(manager: EntityManager, communityIds: readonly string[]): Promise<void> {
    if (communityIds.length === 0) return;
    await manager.query('INSERT INTO community_pending_changes (community_id) SELECT unnest($1::varchar[])', [communityIds]);
  }

  /** Lists to look at around members (a row naming both a community and a building). */
  async noteContactListsAround(manager: EntityManager, around: readonly ListsAround[]): Promise<void> {
    if (around.length === 0) return;
    await manager.query('INSERT INTO community_pending_changes (community_id, building_id) SELECT * FROM unnest($1::varchar[], $2::varchar[])', [
      around.map((entry) => entry.communityId),
      around.map((entry) => entry.buildingId),
    ]);
  }

  /** Takes (deletes) the oldest pending work in the caller's transaction: a rollback gives it back. */
  async takePendingWork(manager: EntityManager, limit: number): Promise<PendingWork> {
    const result: unknown = await manager.query(
      `DELETE FROM community_pending_changes WHERE id IN (
         SELECT id FROM community_pending_changes ORDER BY noted_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING building_id, community_id`,
      [limit],
    );
    const rows = rowsOf<{ building_id: string | null; community_id: string | null }>(result);
    const buildingIds = new Set<string>();
    const communityIds = new Set<string>();
    const around = new Map<string, ListsAround>();
    for (const { building_id: buildingId, community_id: communityId } of rows) {
      if (buildingId && communityId) around.set(`${communityId}\n${buildingId}`, { communityId, buildingId });
      else if (buildingId) buildingIds.add(buildingId);
      else if (communityId) communityIds.add(communityId);
    }
    return { buildingIds: [...buildingIds], communityIds: [...communityIds], around: [...around.values()] };
  }

  async hasPendingWork(manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM community_pending_changes LIMIT 1');
    return rows.length > 0;
  }

  /** The newest pending work so far: a full pass reads the records after it and covers everything up to it. */
  async lastPendingId(manager: EntityManager): Promise<string> {
    const [row] = await manager.query<{ last: string | null }[]>('SELECT max(id) AS last FROM community_pending_changes');
    return row.last ?? '0';
  }

  async clearPendingWork(manager: EntityManager, upToId: string): Promise<void> {
    await manager.query('DELETE FROM community_pending_changes WHERE id <= $1', [upToId]);
  }

  async findRecomputation(manager: EntityManager): Promise<{ computed_at: Date; full_pass_due: boolean } | null> {
    const [row] = await manager.query<{ computed_at: Date; full_pass_due: boolean }[]>(
      'SELECT computed_at, full_pass_due FROM community_recomputation WHERE id = 1',
    );
    return row ?? null;
  }

  async saveRecomputation(manager: EntityManager, state: { computedAt: Date; fullPassDue: boolean }): Promise<void> {
    await manager.query(
      `INSERT INTO community_recomputation (id, computed_at, full_pass_due) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET computed_at = EXCLUDED.computed_at, full_pass_due = EXCLUDED.full_pass_due`,
      [state.computedAt, state.fullPassDue],
    );
  }

  async markFullPassDue(manager: EntityManager): Promise<boolean> {
    const result: unknown = await manager.query('UPDATE community_recomputation SET full_pass_due = true WHERE id = 1');
    return affectedCount(result) > 0;
  }
}

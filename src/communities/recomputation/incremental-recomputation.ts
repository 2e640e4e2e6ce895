import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SourceRecord } from '../../building-records/building-records.service';
import { boxAround } from '../../geo/geo-box';
import { buildCommunities } from '../engine/communities';
import { assignCommunityIds, compareIds } from '../engine/community-id';
import { areNeighbours, clusterPoints } from '../engine/dbscan';
import { cellDeltas } from '../public/map-grid';
import { CommunityRow, CommunityStore, SnapshotRow } from '../store/community.store';
import { PublicMapStore } from '../store/public-map.store';
import {
  CommunitySettings,
  communityRowOf,
  hullOf,
  hullPoints,
  publicPointOf,
  samePlace,
  snapshotRowOf,
  withTotals,
} from './community-geometry';

/** A member that joined or left, by where it stands (or stood) in the contact-list order. */
export type ChangedMember = Pick<SnapshotRow, 'building_id' | 'z_key'>;

export type ContactListEntry = { all: boolean; changed: ChangedMember[] };

/**
 * Which contact lists to look at after changes: per community, either all of them (a community
 * that is new, merged or split), or those around the members that changed (where they stand, or
 * stood, along the contact-list order).
 */
export class ContactListWork {
  readonly communities = new Map<string, ContactListEntry>();

  all(communityId: string): void {
    const entry = this.communities.get(communityId);
    if (entry) entry.all = true;
    else this.communities.set(communityId, { all: true, changed: [] });
  }

  around(communityId: string, member: ChangedMember): void {
    const entry = this.communities.get(communityId) ?? { all: false, changed: [] };
    entry.changed.push({ building_id: member.building_id, z_key: member.z_key });
    this.communities.set(communityId, entry);
  }
}

/** A search around a removed member this many radii wide usually finds the paths that keep its community whole. */
const CONNECTIVITY_REACH = 3;

/**
 * Keeps the communities in step with the records one building at a time, touching only what lies
 * within reach of it: its old community and the communities of its new neighbours. For the
 * communities of a neighbourhood graph (MIN_COMMUNITY_SIZE 2) the result is exactly what a full
 * recomputation from the same previous state gives: the same members, the same ids (the same
 * assignCommunityIds on the communities involved), the same figures up to rounding of the sums.
 */
@Injectable()
export class IncrementalRecomputation {
  constructor(
    private readonly store: CommunityStore,
    private readonly map: PublicMapStore,
  ) {}

  /** Applies the current state of one building (its confirmed record, or null when it has none); true when the public data changed. */
  async apply(manager: EntityManager, buildingId: string, current: SourceRecord | null, settings: CommunitySettings, work: ContactListWork): Promise<boolean> {
    const [before] = await this.store.snapshotOf(manager, [buildingId]);
    const after = current ? snapshotRowOf(current, settings) : null;
    if (!before && !after) return false;
    if (before && after && samePlace(before, after)) return this.updateInPlace(manager, before, after, work);
    await this.moveMarker(manager, before ?? null, after);
    if (before && after) await this.recluster(manager, { removed: before, added: after }, settings, work);
    else if (before) await this.remove(manager, before, settings, work);
    else if (after) await this.add(manager, after, settings, work);
    return true;
  }

  /** Same place: the figures, the kind or the holder changed; the community keeps its members. */
  private async updateInPlace(manager: EntityManager, before: SnapshotRow, after: SnapshotRow, work: ContactListWork): Promise<boolean> {
    const updated = { ...after, community_id: before.community_id };
    await this.store.saveSnapshot(manager, [updated]);
    if (before.registered !== after.registered) {
      await this.map.applyCellDeltas(manager, [...cellDeltas(before, -1), ...cellDeltas(after, 1)]);
    }
    if (!before.community_id) return before.registered !== after.registered;
    const [community] = await this.store.communitiesByIds(manager, [before.community_id]);
    await this.store.saveCommunities(
      manager,
      [
        withTotals(
          community,
          community.total_consumption_kwh - before.annual_consumption_kwh + after.annual_consumption_kwh,
          community.total_pv_kwp - before.potential_pv_kwp + after.potential_pv_kwp,
        ),
      ],
      new Date(),
    );
    if (before.registered !== after.registered || before.confirmed_at.getTime() !== after.confirmed_at.getTime()) {
      work.around(before.community_id, before);
    }
    return true;
  }

  private async moveMarker(manager: EntityManager, before: SnapshotRow | null, after: SnapshotRow | null): Promise<void> {
    await this.map.applyCellDeltas(manager, [...(before ? cellDeltas(before, -1) : []), ...(after ? cellDeltas(after, 1) : [])]);
  }

  /** The confirmed registrations within the radius of a position (the engine's own neighbour test). */
  private async neighboursOf(manager: EntityManager, centre: SnapshotRow, settings: CommunitySettings, reachM = settings.radiusM): Promise<SnapshotRow[]> {
    const nearby = await this.store.snapshotInBox(manager, boxAround(centre, reachM));
    return nearby.filter((row) => row.building_id !== centre.building_id && areNeighbours(centre, row, reachM));
  }

  /**
   * A newcomer joins the communities of its neighbours, and neighbours in no community join with it.
   * Several communities merge into the one with the most members (ties: the smaller id), as
   * assignCommunityIds decides for a merged community.
   */
  private async add(manager: EntityManager, added: SnapshotRow, settings: CommunitySettings, work: ContactListWork): Promise<void> {
    const neighbours = await this.neighboursOf(manager, added, settings);
    if (neighbours.length === 0) {
      await this.store.saveSnapshot(manager, [added]);
      return;
    }
    const loners = neighbours.filter((row) => row.community_id === null);
    const previous = await this.store.communitiesByIds(manager, [...new Set(neighbours.map((row) => row.community_id).filter((id): id is string => id !== null))]);
    if (previous.length === 0) {
      const members = [...loners, added];
      const [id] = assignCommunityIds([members.map((row) => row.building_id).sort(compareIds)], new Map(), settings.idKey);
      await this.store.saveSnapshot(manager, members.map((row) => ({ ...row, community_id: id })));
      await this.store.saveCommunities(manager, [communityRowOf(id, members)], new Date());
      work.all(id);
      return;
    }
    const [winner, ...losers] = [...previous].sort((a, b) => b.num_members - a.num_members || compareIds(a.id, b.id));
    const joining = [...loners, added];
    await this.store.moveMembers(manager, losers.map((c) => c.id), winner.id);
    await this.store.saveSnapshot(manager, joining.map((row) => ({ ...row, community_id: winner.id })));
    await this.store.deleteCommunities(manager, losers.map((c) => c.id));
    await this.store.saveCommunities(manager, [mergedRow(winner, losers, joining)], new Date());
    if (losers.length > 0) work.all(winner.id);
    else for (const row of joining) work.around(winner.id, row);
  }

  /**
   * A member leaves. A community of two ends; a larger one stays whole unless the member held it
   * together, which a search around it rules out in most cases; otherwise its members are clustered
   * again (a split), and the parts get their ids as a full recomputation would give them.
   */
  private async remove(manager: EntityManager, removed: SnapshotRow, settings: CommunitySettings, work: ContactListWork): Promise<void> {
    await this.store.removeSnapshot(manager, [removed.building_id]);
    if (!removed.community_id) return;
    const [community] = await this.store.communitiesByIds(manager, [removed.community_id]);
    if (community.num_members <= 2) {
      await this.store.assignCommunity(manager, await this.memberIds(manager, community.id), null);
      await this.store.deleteCommunities(manager, [community.id]);
      return;
    }
    if (!(await this.staysWhole(manager, removed, settings))) {
      await this.recluster(manager, { removed, added: null }, settings, work);
      return;
    }
    await this.store.saveCommunities(manager, [await this.withoutMember(manager, community, removed)], new Date());
    work.around(community.id, removed);
  }

  private async memberIds(manager: EntityManager, communityId: string): Promise<string[]> {
    return (await this.store.membersOf(manager, [communityId])).map((row) => row.building_id);
  }

  /** True when the removed member's neighbours are still connected to each other near it. */
  private async staysWhole(manager: EntityManager, removed: SnapshotRow, settings: CommunitySettings): Promise<boolean> {
    const neighbours = await this.neighboursOf(manager, removed, settings);
    if (neighbours.length <= 1) return true;
    const region = (await this.store.snapshotInBox(manager, boxAround(removed, settings.radiusM * CONNECTIVITY_REACH))).filter(
      (row) => row.community_id === removed.community_id && row.building_id !== removed.building_id,
    );
    const components = clusterPoints(region, { radiusM: settings.radiusM, minSamples: 1 });
    const componentOf = new Map<string, number>();
    components.forEach((indices, component) => indices.forEach((index) => componentOf.set(region[index].building_id, component)));
    const first = componentOf.get(neighbours[0].building_id);
    return neighbours.every((row) => componentOf.get(row.building_id) === first);
  }

  /** The community's row without one member: totals less its figures, the first id and hull found again if it was them. */
  private async withoutMember(manager: EntityManager, community: CommunityRow, removed: SnapshotRow): Promise<CommunityRow> {
    const lessened = withTotals(community, community.total_consumption_kwh - removed.annual_consumption_kwh, community.total_pv_kwp - removed.potential_pv_kwp);
    const onHull = community.hull.some(([lat, lon]) => lat === removed.public_lat && lon === removed.public_lon);
    return {
      ...lessened,
      num_members: community.num_members - 1,
      first_member_id: community.first_member_id === removed.building_id ? await this.store.firstMemberOf(manager, community.id) : community.first_member_id,
      hull: onHull ? hullOf((await this.store.membersOf(manager, [community.id])).map(publicPointOf)) : community.hull,
    };
  }

  /**
   * Clusters again everything within reach of a change (the old community of the building and the
   * communities of its new neighbours, with the neighbours in none): for a member that moved, or a
   * split. The new communities take their ids from the previous ones they overlap, as in a full pass.
   */
  private async recluster(
    manager: EntityManager,
    change: { removed: SnapshotRow | null; added: SnapshotRow | null },
    settings: CommunitySettings,
    work: ContactListWork,
  ): Promise<void> {
    const { removed, added } = change;
    const neighbours = added ? await this.neighboursOf(manager, added, settings) : [];
    const involved = [
      ...new Set([removed?.community_id ?? null, ...neighbours.map((row) => row.community_id)].filter((id): id is string => id !== null)),
    ];
    const previousMembers = await this.store.membersOf(manager, involved);
    const previous = new Map<string, string[]>(involved.map((id) => [id, []]));
    for (const row of previousMembers) previous.get(row.community_id!)!.push(row.building_id);
    const formerMembers = removed?.community_id ? previous.get(removed.community_id) : undefined;
    if (removed && formerMembers && !formerMembers.includes(removed.building_id)) formerMembers.push(removed.building_id);
    const changedId = added?.building_id ?? removed?.building_id;
    const points = new Map<string, SnapshotRow>();
    for (const row of [...previousMembers, ...neighbours.filter((n) => n.community_id === null)]) if (row.building_id !== changedId) points.set(row.building_id, row);
    if (added) points.set(added.building_id, added);
    const input = [...points.values()].sort((a, b) => compareIds(a.building_id, b.building_id));
    const ranked = buildCommunities(input, { radiusM: settings.radiusM, minSamples: 2 });
    const ids = assignCommunityIds(ranked.map((c) => c.member_ids), previous, settings.idKey);
    const assigned = new Map<string, string>();
    ranked.forEach((community, index) => community.member_ids.forEach((id) => assigned.set(id, ids[index])));
    await this.store.deleteCommunities(manager, involved);
    if (removed) await this.store.removeSnapshot(manager, [removed.building_id]);
    await this.store.saveSnapshot(manager, input.map((row) => ({ ...row, community_id: assigned.get(row.building_id) ?? null })));
    await this.store.saveCommunities(
      manager,
      ranked.map((community, index) => communityRowOf(ids[index], community.members)),
      new Date(),
    );
    for (const id of ids) work.all(id);
  }
}

/** The row of a community that absorbed others and newcomers (merge: sums, smallest first id, hull of the hulls). */
function mergedRow(winner: CommunityRow, losers: readonly CommunityRow[], joining: readonly SnapshotRow[]): CommunityRow {
  const all = [winner, ...losers];
  const consumption = all.reduce((sum, c) => sum + c.total_consumption_kwh, 0) + joining.reduce((sum, row) => sum + row.annual_consumption_kwh, 0);
  const pv = all.reduce((sum, c) => sum + c.total_pv_kwp, 0) + joining.reduce((sum, row) => sum + row.potential_pv_kwp, 0);
  const firstIds = [...all.map((c) => c.first_member_id), ...joining.map((row) => row.building_id)].sort(compareIds);
  return {
    ...withTotals(winner, consumption, pv),
    num_members: all.reduce((sum, c) => sum + c.num_members, 0) + joining.length,
    first_member_id: firstIds[0],
    hull: hullOf([...all.flatMap((c) => hullPoints(c.hull)), ...joining.map(publicPointOf)]),
  };
}

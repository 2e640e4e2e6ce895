import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { Env } from '../../config/env.validation';
import { cellDeltas } from '../public/map-grid';
import { CommunityStore, ListsAround } from '../store/community.store';
import { PublicMapStore } from '../store/public-map.store';
import { communitySettings } from './community-geometry';
import { ContactListWork, IncrementalRecomputation } from './incremental-recomputation';

/**
 * How other modules tell the communities that a record changed, in their own transaction: the
 * next recomputation applies it. An erasure is applied at once, so that nothing of the person
 * waits for a run (its position in the snapshot, its place in a community, its contact list).
 */
@Injectable()
export class CommunityChanges {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly store: CommunityStore,
    private readonly map: PublicMapStore,
    private readonly incremental: IncrementalRecomputation,
  ) {}

  /** The buildings' records changed (confirmed, a new holder, new figures): the next run applies it. */
  async noted(manager: EntityManager, buildingIds: readonly string[]): Promise<void> {
    await this.store.noteBuildingChanges(manager, buildingIds);
  }

  /** The building is gone: out of its community and off the map now; the lists around where it was are looked at by the next run. */
  async erased(manager: EntityManager, buildingId: string): Promise<void> {
    await this.store.forgetContactList(manager, buildingId);
    await this.store.forgetPendingChanges(manager, buildingId);
    const [before] = await this.store.snapshotOf(manager, [buildingId]);
    if (!before) return;
    if (this.config.get('MIN_COMMUNITY_SIZE', { infer: true }) !== 2) {
      await this.store.removeSnapshot(manager, [buildingId]);
      await this.map.applyCellDeltas(manager, cellDeltas(before, -1));
      await this.store.markFullPassDue(manager);
    } else {
      const lists = new ContactListWork();
      await this.incremental.apply(manager, buildingId, null, communitySettings(this.config), lists);
      await this.noteListChecks(manager, lists);
    }
    await this.map.bumpVersion(manager);
  }

  /**
   * The lists the erasure touched, for the next run: those around the place the building left, named
   * by the member now next to it there (never by the building), or all lists of a community split by
   * it. In a town-sized community, all lists are tens of thousands.
   */
  private async noteListChecks(manager: EntityManager, lists: ContactListWork): Promise<void> {
    const whole: string[] = [];
    const around: ListsAround[] = [];
    for (const [communityId, entry] of lists.communities) {
      if (entry.all) {
        whole.push(communityId);
        continue;
      }
      for (const member of entry.changed) {
        const { before, from } = await this.store.contactWindowOf(manager, communityId, member, 1);
        const next = from[0] ?? before[0];
        if (next) around.push({ communityId, buildingId: next.building_id });
      }
    }
    await this.store.noteContactListChecks(manager, whole);
    await this.store.noteContactListsAround(manager, around);
  }
}

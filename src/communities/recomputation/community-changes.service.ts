import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { Env } from '../../config/env.validation';
import { cellDeltas } from '../public/map-grid';
import { CommunityStore } from '../store/community.store';
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

  /** The building is gone: out of its community and off the map now; its neighbours' lists are looked at by the next run. */
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
      await this.store.noteContactListChecks(manager, [...lists.communities.keys()]);
    }
    await this.map.bumpVersion(manager);
  }
}

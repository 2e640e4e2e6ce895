import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../../building-records/building-record.events';
import { BuildingRecordsService, SourceRecord } from '../../building-records/building-records.service';
import { ERASURE_GATE, lockErasureGateShared } from '../../building-records/record-locks';
import { advisoryKey, lockForTransaction } from '../../common/advisory-lock';
import { Env } from '../../config/env.validation';
import { OutboxWorker } from '../../mail/outbox.worker';
import { JobCoordinator } from '../../scheduling/job-coordinator.service';
import { buildCommunities } from '../engine/communities';
import { compareIds, idsFromOverlaps } from '../engine/community-id';
import { ContactMember, contactMemberOf } from '../engine/contact-lists';
import { ContactNotifier } from '../notifications/contact-notifier.service';
import { cellCounts } from '../public/map-grid';
import { CommunityRow, CommunityStore, ListsAround, SnapshotRow } from '../store/community.store';
import { PublicMapStore } from '../store/public-map.store';
import { communityRowOf, communitySettings, CommunitySettings, snapshotRowOf } from './community-geometry';
import { ContactListWork, IncrementalRecomputation } from './incremental-recomputation';
import { RecomputationTrigger } from './recomputation-trigger';

const JOB = 'community-recompute';
const CONSISTENCY_JOB = 'community-consistency';
const SHUTDOWN_WAIT_MS = 5000;
/** Changes taken per run: the rest follow in the next run at once. */
const CHANGES_PER_RUN = 2000;

export type RecomputeOutcome = { ran: boolean; communities: number; notifications: number };

/**
 * seedContactStates: sets of members already told about each other elsewhere (the previous
 * version). notify: false stores communities and contact lists without queueing any e-mail and
 * leaves a full pass due, so the service's next run sends only what is really new.
 */
export type RecomputeOptions = { seedContactStates?: string[][]; notify?: boolean };
export type SeededRecomputeOutcome = { communities: number; notifications: number; seeded: number; unmatched: number };

type RunOutcome = { kind: 'changes' | 'full'; communities: number; notifications: number; changes: number };

/**
 * Keeps the communities in step with the records. A change (a confirmation, an erasure, a new
 * holder) is noted in its own transaction; a run then applies the noted changes one by one, each
 * touching only what lies within reach of the building (IncrementalRecomputation), and tells the
 * confirmed neighbours whose contact list changed. A full pass (at start-up when one is due, by the
 * admin route, once a night as a consistency check, and always when MIN_COMMUNITY_SIZE is not 2)
 * recomputes everything from the records and keeps community ids. Runs are debounced within a
 * maximum wait (RecomputationTrigger), single-flight across replicas and atomic.
 */
@Injectable()
export class RecomputationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RecomputationService.name);
  private readonly trigger: RecomputationTrigger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly store: CommunityStore,
    private readonly map: PublicMapStore,
    private readonly incremental: IncrementalRecomputation,
    private readonly notifier: ContactNotifier,
    private readonly jobs: JobCoordinator,
    private readonly outbox: OutboxWorker,
  ) {
    this.trigger = new RecomputationTrigger(
      () => this.runNow(),
      { debounceMs: this.config.get('CLUSTER_RECOMPUTE_DEBOUNCE_MS', { infer: true }), maxWaitMs: this.config.get('CLUSTER_RECOMPUTE_MAX_WAIT_MS', { infer: true }) },
      (error) => this.logger.warn(`Community recomputation failed, retrying: ${(error as Error).message}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // Once a night one replica recomputes everything: incremental drift cannot last.
    this.jobs.schedule(CONSISTENCY_JOB, this.config.get('COMMUNITY_CONSISTENCY_CRON', { infer: true }), async () => {
      const outcome = await this.recomputeNow();
      return `${outcome.ran ? 'ran' : 'skipped'}: ${outcome.communities} communities`;
    });
    try {
      if (await this.hasWork()) this.trigger.request(0);
    } catch (error) {
      this.logger.warn(`Could not check whether communities are current: ${(error as Error).message}`);
      this.trigger.request();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.jobs.unschedule(CONSISTENCY_JOB);
    await this.trigger.stop(SHUTDOWN_WAIT_MS);
  }

  /** Stops scheduling runs in this process: command-line tools leave recomputation to the service. */
  suspend(): Promise<void> {
    return this.trigger.stop(SHUTDOWN_WAIT_MS);
  }

  @OnEvent(BuildingEvents.registered)
  @OnEvent(BuildingEvents.confirmed)
  @OnEvent(BuildingEvents.deleted)
  onRecordsChanged(): void {
    this.trigger.request();
  }

  /** Whether a run has something to do: noted changes, or a full pass that is due. */
  async hasWork(): Promise<boolean> {
    const manager = this.dataSource.manager;
    const state = await this.store.findRecomputation(manager);
    return !state || state.full_pass_due || (await this.store.hasPendingWork(manager));
  }

  /** Waits for the scheduled or running recomputation (for tests and the admin route). */
  settled(): Promise<void> {
    return this.trigger.settled();
  }

  /** What the trigger runs: the noted changes, or a full pass when one is due. */
  async runNow(): Promise<{ ran: boolean }> {
    const started = Date.now();
    const outcome = await this.exclusively((manager) => this.runWithin(manager));
    if (!outcome) return { ran: false };
    if (outcome.notifications > 0) this.outbox.kick();
    if (outcome.kind === 'full' || outcome.changes > 0) {
      this.logger.log(
        outcome.kind === 'full'
          ? `Full pass: ${outcome.communities} communities in ${Date.now() - started} ms, ${outcome.notifications} contact e-mails queued`
          : `Applied ${outcome.changes} changes in ${Date.now() - started} ms, ${outcome.notifications} contact e-mails queued`,
      );
    }
    if (outcome.kind === 'changes' && outcome.changes >= CHANGES_PER_RUN) this.trigger.request(0);
    return { ran: true };
  }

  /** A full pass now unless a run holds the lock (here or on another replica): the admin route and the consistency check. */
  async recomputeNow(): Promise<RecomputeOutcome> {
    const started = Date.now();
    const outcome = await this.exclusively((manager) => this.fullPassWithin(manager));
    if (!outcome) return { ran: false, communities: 0, notifications: 0 };
    if (outcome.notifications > 0) this.outbox.kick();
    this.logger.log(`Full pass: ${outcome.communities} communities in ${Date.now() - started} ms, ${outcome.notifications} contact e-mails queued`);
    return { ran: true, communities: outcome.communities, notifications: outcome.notifications };
  }

  /**
   * A full pass inside the caller's transaction (the legacy import), first recording the given
   * contact states so that nobody is told again what they were already told. Waits for a run
   * elsewhere to finish (transaction-scoped lock).
   */
  async recomputeInTransaction(manager: EntityManager, options: RecomputeOptions = {}): Promise<SeededRecomputeOutcome> {
    await lockForTransaction(manager, advisoryKey(`job:${JOB}`));
    await lockErasureGateShared(manager);
    const { communities, notifications, seeded, unmatched } = await this.fullPassWithin(manager, options);
    return { communities, notifications, seeded, unmatched };
  }

  private async exclusively<T>(work: (manager: EntityManager) => Promise<T>): Promise<T | undefined> {
    const outcome = await this.jobs.runExclusively(JOB, () => this.dataSource.transaction('REPEATABLE READ', work), { sharedLocks: [ERASURE_GATE] });
    return outcome.ran ? outcome.value : undefined;
  }

  private async runWithin(manager: EntityManager): Promise<RunOutcome> {
    const state = await this.store.findRecomputation(manager);
    const incrementalPossible = this.config.get('MIN_COMMUNITY_SIZE', { infer: true }) === 2;
    if (!state || state.full_pass_due || !incrementalPossible) {
      const full = await this.fullPassWithin(manager);
      return { kind: 'full', communities: full.communities, notifications: full.notifications, changes: 0 };
    }
    return this.applyChangesWithin(manager);
  }

  /** Applies the noted changes, one building at a time, and tells those whose contact list changed. */
  private async applyChangesWithin(manager: EntityManager): Promise<RunOutcome> {
    const work = await this.store.takePendingWork(manager, CHANGES_PER_RUN);
    const changes = work.buildingIds.length + work.communityIds.length + work.around.length;
    if (changes === 0) return { kind: 'changes', communities: 0, notifications: 0, changes: 0 };
    const settings = communitySettings(this.config);
    const current = new Map((await this.records.findConfirmedForCommunities(manager, work.buildingIds)).map((record) => [record.building_id, record]));
    const lists = new ContactListWork();
    let publicChanged = false;
    for (const buildingId of [...work.buildingIds].sort(compareIds)) {
      if (await this.incremental.apply(manager, buildingId, current.get(buildingId) ?? null, settings, lists)) publicChanged = true;
    }
    for (const communityId of work.communityIds) lists.all(communityId);
    await this.listsAround(manager, work.around, lists);
    if (publicChanged) await this.map.bumpVersion(manager);
    const notifications = await this.notifier.notifyWork(manager, lists, new Date());
    return { kind: 'changes', communities: lists.communities.size, notifications, changes };
  }

  /**
   * Lists to look at around members, as they stand now; where such a member has since left the
   * community or its contact order, the community's lists are all looked at.
   */
  private async listsAround(manager: EntityManager, around: readonly ListsAround[], lists: ContactListWork): Promise<void> {
    if (around.length === 0) return;
    const anchors = new Map((await this.store.snapshotOf(manager, around.map((entry) => entry.buildingId))).map((row) => [row.building_id, row]));
    for (const { communityId, buildingId } of around) {
      const anchor = anchors.get(buildingId);
      if (anchor?.community_id === communityId && anchor.registered) lists.around(communityId, anchor);
      else lists.all(communityId);
    }
  }

  /** Every confirmed record as a snapshot row, by id; the records as read are garbage once this returns. */
  private async readSnapshot(manager: EntityManager, settings: CommunitySettings): Promise<SnapshotRow[]> {
    const sources = (await this.records.readConfirmedForCommunities(manager)).sort((a, b) => compareIds(a.building_id, b.building_id));
    return sources.map((source: SourceRecord) => snapshotRowOf(source, settings));
  }

  /** Recomputes everything from the confirmed records, keeping the ids of communities that keep their members. */
  private async fullPassWithin(manager: EntityManager, options: RecomputeOptions = {}): Promise<SeededRecomputeOutcome> {
    const at = new Date();
    const settings = communitySettings(this.config);
    const coveredChanges = await this.store.lastPendingId(manager);
    const snapshot = await this.readSnapshot(manager, settings);
    const ranked = buildCommunities(snapshot, { radiusM: settings.radiusM, minSamples: settings.minSamples });
    const members = ranked.map((community) => community.member_ids);
    const ids = idsFromOverlaps(members, await this.store.overlapsWithPrevious(manager, members), await this.store.previousCommunityIds(manager), settings.idKey);
    const communities = ranked.map((community, index) => ({ ...community, community_id: ids[index] }));
    const rows: CommunityRow[] = [];
    const contactCommunities = new Map<string, { autarkyPercent: number; members: ContactMember[] }>();
    for (const community of communities) {
      for (const member of community.members) member.community_id = community.community_id;
      const row = communityRowOf(community.community_id, community.members);
      rows.push(row);
      contactCommunities.set(community.community_id, { autarkyPercent: row.autarky_percent, members: community.members.filter((m) => m.registered).map(contactMemberOf) });
    }
    await this.store.replaceAll(manager, snapshot, rows, at);
    await this.map.replaceCells(manager, cellCounts(snapshot));
    await this.map.bumpVersion(manager);
    await this.store.clearPendingWork(manager, coveredChanges);
    const seeds = [...(options.seedContactStates ?? []), ...(await this.store.takeSeeds(manager))];
    const seeding = seeds.length > 0 ? await this.notifier.seed(manager, contactCommunities, seeds, at) : { seeded: 0, unmatched: 0 };
    if (options.notify === false) {
      await this.store.saveRecomputation(manager, { computedAt: at, fullPassDue: true });
      return { communities: rows.length, notifications: 0, ...seeding };
    }
    const notifications = await this.notifier.notifyAll(manager, contactCommunities, at);
    await this.store.saveRecomputation(manager, { computedAt: at, fullPassDue: false });
    return { communities: rows.length, notifications, ...seeding };
  }
}

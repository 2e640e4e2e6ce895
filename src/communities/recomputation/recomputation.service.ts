import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../../building-records/building-record.events';
import { ERASURE_GATE, lockErasureGateShared } from '../../building-records/record-locks';
import { advisoryKey, lockForTransaction } from '../../common/advisory-lock';
import { deriveKey } from '../../config/app-secret';
import { Env } from '../../config/env.validation';
import { OutboxWorker } from '../../mail/outbox.worker';
import { JobCoordinator } from '../../scheduling/job-coordinator.service';
import { buildCommunities, communityPolygonOf, withCommunityIds } from '../engine/communities';
import { ContactNotifier } from '../notifications/contact-notifier.service';
import { publicPositionFor } from '../public/public-position';
import { CommunityStore, StoredCommunity } from '../store/community.store';
import { CommunitySource } from './community-source';
import { RecomputationTrigger } from './recomputation-trigger';

const JOB = 'community-recompute';
const SHUTDOWN_WAIT_MS = 5000;

export type RecomputeOutcome = { ran: boolean; communities: number; notifications: number };

/**
 * seedContactStates: contact states carried over from elsewhere (the previous version), member sets
 * already told about each other. notify: false stores communities and states without queueing any
 * e-mail and leaves the result marked stale, so the service's next run sends what is really new.
 */
export type RecomputeOptions = { seedContactStates?: string[][]; notify?: boolean };
export type SeededRecomputeOutcome = { communities: number; notifications: number; seeded: number; unmatched: number };

/**
 * Recomputes the communities after changes: when (RecomputationTrigger), single-flight across
 * replicas (an advisory lock), atomic (readers see the old or the new set), and at boot when the
 * stored result is older than the data.
 */
@Injectable()
export class RecomputationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RecomputationService.name);
  private readonly trigger: RecomputationTrigger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly source: CommunitySource,
    private readonly store: CommunityStore,
    private readonly notifier: ContactNotifier,
    private readonly jobs: JobCoordinator,
    private readonly outbox: OutboxWorker,
  ) {
    this.trigger = new RecomputationTrigger(
      () => this.recomputeNow(),
      {
        debounceMs: this.config.get('CLUSTER_RECOMPUTE_DEBOUNCE_MS', { infer: true }),
        maxWaitMs: this.config.get('CLUSTER_RECOMPUTE_MAX_WAIT_MS', { infer: true }),
      },
      (error) => this.logger.warn(`Community recomputation failed, retrying: ${(error as Error).message}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      if (await this.isStale()) this.trigger.request(0);
    } catch (error) {
      this.logger.warn(`Could not check whether communities are current: ${(error as Error).message}`);
      this.trigger.request();
    }
  }

  async onApplicationShutdown(): Promise<void> {
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

  /** Whether the data changed since the stored communities were computed. */
  async isStale(): Promise<boolean> {
    const manager = this.dataSource.manager;
    const stored = await this.store.findRecomputation(manager);
    return stored?.sourceFingerprint !== (await this.source.fingerprint(manager));
  }

  /** Waits for the scheduled or running recomputation (for tests and the admin route). */
  settled(): Promise<void> {
    return this.trigger.settled();
  }

  /** Runs now unless a run holds the lock (here or on another replica). */
  async recomputeNow(): Promise<RecomputeOutcome> {
    const started = Date.now();
    const outcome = await this.jobs.runExclusively(
      JOB,
      () => this.dataSource.transaction('REPEATABLE READ', (manager) => this.recomputeWithin(manager)),
      { sharedLocks: [ERASURE_GATE] },
    );
    if (!outcome.ran) return { ran: false, communities: 0, notifications: 0 };
    if (outcome.value.notifications > 0) this.outbox.kick();
    this.logger.log(
      `Recomputed ${outcome.value.communities} communities in ${Date.now() - started} ms, ${outcome.value.notifications} contact e-mails queued`,
    );
    return { ran: true, ...outcome.value };
  }

  /**
   * Recomputes inside the caller's transaction (the legacy import), first storing the given contact
   * states on the new communities that contain their members, so that nobody is told again what
   * they were already told. Waits for a run elsewhere to finish (transaction-scoped lock).
   */
  async recomputeInTransaction(manager: EntityManager, options: RecomputeOptions = {}): Promise<SeededRecomputeOutcome> {
    await lockForTransaction(manager, advisoryKey(`job:${JOB}`));
    await lockErasureGateShared(manager);
    return this.recomputeWithin(manager, options);
  }

  private async recomputeWithin(manager: EntityManager, options: RecomputeOptions = {}): Promise<SeededRecomputeOutcome> {
    const computedAt = new Date();
    const fingerprint = await this.source.fingerprint(manager);
    const sources = await this.source.readAll(manager);
    const ranked = buildCommunities(sources, {
      radiusM: this.config.get('CLUSTER_RADIUS_M', { infer: true }),
      minSamples: this.config.get('MIN_COMMUNITY_SIZE', { infer: true }),
    });
    const communities = withCommunityIds(
      ranked,
      await this.store.findMemberships(manager),
      deriveKey(this.config.get('APP_SECRET', { infer: true }) ?? '', 'community-id'),
    );
    const publicPosition = publicPositionFor(this.config);
    await this.store.replaceCommunities(
      manager,
      communities.map(
        (community, index): StoredCommunity => ({
          id: community.community_id,
          rank: index + 1,
          numMembers: community.num_members,
          autarkyPercent: community.autarky_percent,
          totalConsumptionMwh: community.total_consumption_mwh,
          totalProductionMwh: community.total_production_mwh,
          memberPositions: community.members.map(publicPosition),
          polygon: communityPolygonOf(community, publicPosition),
          computedAt,
          memberIds: community.members.map((m) => ({ buildingId: m.building_id, registered: m.type === 'registered' })),
        }),
      ),
    );
    const seeding = options.seedContactStates
      ? await this.notifier.seedContactStates(manager, communities, options.seedContactStates, computedAt)
      : { seeded: 0, unmatched: 0 };
    if (options.notify === false) {
      await this.store.saveRecomputation(manager, 'pending-notification', computedAt);
      return { communities: communities.length, notifications: 0, ...seeding };
    }
    const notifications = await this.notifier.notifyCommunities(manager, communities, computedAt);
    await this.store.saveRecomputation(manager, fingerprint, computedAt);
    return { communities: communities.length, notifications, ...seeding };
  }
}

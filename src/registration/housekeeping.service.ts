import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { BuildingEvents } from '../building-records/building-record.events';
import { Env } from '../config/env.validation';
import { MailQuota } from '../mail/mail-quota.service';
import { MailService } from '../mail/mail.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { JobCoordinator } from '../scheduling/job-coordinator.service';
import { ErasureService } from './erasure.service';
import { OwnershipService } from './ownership/ownership.service';

const JOB = 'registration-housekeeping';
const BATCH_SIZE = 200;
const BOOT_DELAY_MS = 15_000;

export type HousekeepingOutcome = { ran: boolean; unconfirmedErased: number; claimsExpired: number; handoversApplied: number; unsubscribeLinksSent: number };

/**
 * The scheduled side of the registration rules (HOUSEKEEPING_CRON, off with TOKEN_PURGE_ENABLED):
 * unconfirmed records and claims go when their link expires, handovers apply when the holder let
 * the waiting period pass, queued unsubscribe-link requests left by a crash are handled, and mail
 * counters whose windows have passed are forgotten. One replica per tick; each step in batches.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HousekeepingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly jobs: JobCoordinator,
    private readonly erasure: ErasureService,
    private readonly ownership: OwnershipService,
    private readonly mail: MailService,
    private readonly quota: MailQuota,
    private readonly outbox: OutboxWorker,
    private readonly events: EventEmitter2,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.get('TOKEN_PURGE_ENABLED', { infer: true })) return;
    this.jobs.schedule(JOB, this.config.get('HOUSEKEEPING_CRON', { infer: true }), async () => JSON.stringify(await this.runNow()), BOOT_DELAY_MS);
  }

  onApplicationShutdown(): void {
    this.jobs.unschedule(JOB);
  }

  /** Every step once, unless another housekeeping run holds the job. */
  async runNow(): Promise<HousekeepingOutcome> {
    const outcome = await this.jobs.runExclusively(JOB, async () => ({
      unconfirmedErased: await this.erasure.purgeUnconfirmed(BATCH_SIZE),
      claimsExpired: await this.removeExpiredClaims(),
      handoversApplied: await this.applyDueHandovers(),
      unsubscribeLinksSent: await this.erasure.handleUnsubscribeRequests(),
      countersForgotten: await this.quota.sweep(this.dataSource.manager),
    }));
    if (!outcome.ran) return { ran: false, unconfirmedErased: 0, claimsExpired: 0, handoversApplied: 0, unsubscribeLinksSent: 0 };
    const { countersForgotten: _counters, ...figures } = outcome.value;
    this.logger.log(`Housekeeping: ${JSON.stringify(figures)}`);
    return { ran: true, ...figures };
  }

  private async removeExpiredClaims(): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.ownership.removeExpired(this.dataSource.manager, BATCH_SIZE);
      removed += batch;
      if (batch < BATCH_SIZE) return removed;
    }
  }

  private async applyDueHandovers(): Promise<number> {
    let applied = 0;
    for (;;) {
      const ids = await this.ownership.dueIds(this.dataSource.manager, BATCH_SIZE);
      for (const id of ids) {
        const done = await this.dataSource.transaction((manager) => this.ownership.applyDue(manager, id));
        if (!done) continue;
        await this.mail.discardCopies(done.mailCopies);
        this.events.emit(BuildingEvents.confirmed, { buildingId: done.buildingId });
        applied++;
      }
      if (ids.length < BATCH_SIZE) break;
    }
    if (applied > 0) this.outbox.kick();
    return applied;
  }
}

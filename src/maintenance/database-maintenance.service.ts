import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { Env } from '../config/env.validation';
import { DatabaseTarget } from '../database/database-target';
import { DATABASE_TARGET } from '../database/database.module';
import { JobCoordinator } from '../scheduling/job-coordinator.service';
import { ownVacuumReason } from './vacuum-policy';

export const VACUUM_JOB = 'database-vacuum';

export type VacuumOutcome = { ran: boolean; ms: number };

/**
 * Gives the space of deleted and updated rows back to the tables that churn (links purged every
 * hour, the mail outbox, communities rewritten by the nightly pass), where PostgreSQL does not:
 * without it an embedded database grows for as long as the service runs. VACUUM (ANALYZE) on
 * DATABASE_VACUUM_CRON, one replica per tick.
 */
@Injectable()
export class DatabaseMaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseMaintenanceService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_TARGET) private readonly database: DatabaseTarget,
    private readonly config: ConfigService<Env, true>,
    private readonly jobs: JobCoordinator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const cron = this.config.get('DATABASE_VACUUM_CRON', { infer: true });
    if (cron === 'off') return;
    const [{ autovacuum }] = await this.dataSource.query<{ autovacuum: string }[]>('SHOW autovacuum');
    const reason = ownVacuumReason(this.database.mode, autovacuum);
    if (!reason) return;
    const plan = `VACUUM (ANALYZE) on "${cron}" (DATABASE_VACUUM_CRON): ${reason}`;
    if (this.database.mode === 'server') this.logger.warn(plan);
    else this.logger.log(plan);
    this.jobs.schedule(VACUUM_JOB, cron, async () => JSON.stringify(await this.vacuumNow()));
  }

  onApplicationShutdown(): void {
    this.jobs.unschedule(VACUUM_JOB);
  }

  /** The whole database at once, unless another replica is already at it. */
  async vacuumNow(): Promise<VacuumOutcome> {
    const started = performance.now();
    const outcome = await this.jobs.runExclusively(VACUUM_JOB, () => this.dataSource.query('VACUUM (ANALYZE)'));
    const ms = Math.round(performance.now() - started);
    if (outcome.ran) this.logger.log(`Database vacuumed in ${ms} ms`);
    return { ran: outcome.ran, ms };
  }
}

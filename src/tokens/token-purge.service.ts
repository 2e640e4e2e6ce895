import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { Env } from '../config/env.validation';
import { JobCoordinator } from '../scheduling/job-coordinator.service';

const JOB = 'token-purge';
/** Small enough that each DELETE holds its locks for milliseconds, so registrations never wait long. */
const PURGE_BATCH_SIZE = 5000;
const BOOT_DELAY_MS = 10_000;

export type PurgeOutcome = { ran: boolean; removed: number };

@Injectable()
export class TokenPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenPurgeService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly jobs: JobCoordinator,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.get('TOKEN_PURGE_ENABLED', { infer: true })) return;
    this.jobs.schedule(JOB, this.config.get('TOKEN_PURGE_CRON', { infer: true }), async () => `removed ${(await this.purgeNow()).removed}`, BOOT_DELAY_MS);
  }

  onApplicationShutdown(): void {
    this.jobs.unschedule(JOB);
  }

  /** Deletes expired verification tokens in bounded batches; skipped while another purge runs. */
  async purgeNow(): Promise<PurgeOutcome> {
    try {
      const outcome = await this.jobs.runExclusively(JOB, () => this.deleteExpiredInBatches());
      if (!outcome.ran) return { ran: false, removed: 0 };
      this.logger.log(`Token purge removed ${outcome.value} expired verification tokens`);
      return { ran: true, removed: outcome.value };
    } catch (error) {
      this.logger.warn(`Token purge failed: ${(error as Error).message}`);
      throw error;
    }
  }

  /**
   * Each batch continues from the latest expiry the previous one removed: starting every batch from
   * the beginning of the index would step over the entries of all rows already deleted (until vacuum).
   */
  private async deleteExpiredInBatches(): Promise<number> {
    let removed = 0;
    let after = new Date(0);
    for (;;) {
      const [batch] = await this.dataSource.query<{ removed: number; last: Date | null }[]>(
        `WITH batch AS (
           SELECT token_hash, expires_at FROM tokens
           WHERE kind = 'verification' AND expires_at < now() AND expires_at >= $2
           ORDER BY expires_at
           LIMIT $1 FOR UPDATE SKIP LOCKED),
         deleted AS (
           DELETE FROM tokens t USING batch b WHERE t.token_hash = b.token_hash RETURNING b.expires_at)
         SELECT count(*)::int AS removed, max(expires_at) AS last FROM deleted`,
        [PURGE_BATCH_SIZE, after],
      );
      removed += batch.removed;
      if (batch.removed < PURGE_BATCH_SIZE || !batch.last) return removed;
      after = batch.last;
    }
  }
}

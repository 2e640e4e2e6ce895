import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DataSource, LessThan } from 'typeorm';
import { advisoryKey } from '../common/advisory-lock';
import { DatabaseTarget } from '../database/database-target';
import { DATABASE_TARGET } from '../database/database.module';
import { JobRun } from './job-run.entity';

/** Bookkeeping older than this is deleted when a tick is claimed. */
const JOB_RUN_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Coordinates jobs between replicas sharing one database: a tick is claimed by inserting its row
 * (only one replica succeeds), and a job body runs under a session advisory lock so that two runs
 * never overlap. On the embedded database (one process) both hold trivially.
 */
@Injectable()
export class JobCoordinator {
  /** Jobs running in this process: the whole guard on the embedded database (one process, one connection). */
  private readonly runningHere = new Set<string>();
  private readonly logger = new Logger(JobCoordinator.name);
  private readonly bootRuns = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_TARGET) private readonly database: DatabaseTarget,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  /**
   * Runs `work` on every tick of `cronTime` (one replica per tick, see runTick) and, with
   * `bootDelayMs`, once that long after start-up, so a job whose ticks are far apart does not wait
   * for the first one. The job's service calls unschedule() when the application shuts down.
   */
  schedule(job: string, cronTime: string, work: () => Promise<string>, bootDelayMs?: number): void {
    this.scheduler.addCronJob(job, CronJob.from({ cronTime, onTick: () => void this.runTick(job, work), start: true }));
    if (bootDelayMs === undefined) return;
    const bootRun = setTimeout(() => void work().catch((error: Error) => this.logger.warn(`${job} after start-up failed: ${error.message}`)), bootDelayMs);
    bootRun.unref();
    this.bootRuns.set(job, bootRun);
  }

  unschedule(job: string): void {
    clearTimeout(this.bootRuns.get(job));
    this.bootRuns.delete(job);
    if (this.scheduler.doesExist('cron', job)) this.scheduler.deleteCronJob(job);
  }

  /** Claims a tick of a job; false when another replica already has it. */
  async claimTick(job: string, tick: Date): Promise<boolean> {
    const claimed = await this.dataSource.query<unknown[]>(
      'INSERT INTO job_runs (job, tick) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING job',
      [job, tick],
    );
    await this.dataSource.getRepository(JobRun).delete({ job, tick: LessThan(new Date(Date.now() - JOB_RUN_RETENTION_MS)) });
    return claimed.length > 0;
  }

  async finishTick(job: string, tick: Date, outcome: string): Promise<void> {
    await this.dataSource.getRepository(JobRun).update({ job, tick }, { finishedAt: new Date(), outcome: outcome.slice(0, 200) });
  }

  /**
   * A cron tick of a job: the replica that claims this second's tick runs `work` and records the
   * outcome it returns; the others skip it. A failure is logged, as a cron callback has nobody to
   * throw to, and the next tick tries again.
   */
  async runTick(job: string, work: () => Promise<string>): Promise<void> {
    const tick = new Date(Math.floor(Date.now() / 1000) * 1000);
    try {
      if (!(await this.claimTick(job, tick))) return;
      await this.finishTick(job, tick, await work());
    } catch (error) {
      this.logger.warn(`Scheduled ${job} failed: ${(error as Error).message}`);
    }
  }

  /**
   * Runs `work` unless another run of the same job is under way, in this process or (on a server)
   * in another replica; then answers `ran: false` at once.
   */
  async runExclusively<T>(
    job: string,
    work: () => Promise<T>,
    options: { sharedLocks?: string[] } = {},
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.runningHere.has(job)) return { ran: false };
    this.runningHere.add(job);
    try {
      if (this.database.mode === 'embedded') return { ran: true, value: await work() };
      return await this.runUnderAdvisoryLock(job, work, options.sharedLocks ?? []);
    } finally {
      this.runningHere.delete(job);
    }
  }

  /** Holding the lock needs a connection of its own for the whole run, so only on a server. */
  private async runUnderAdvisoryLock<T>(
    job: string,
    work: () => Promise<T>,
    sharedLocks: string[],
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = advisoryKey(`job:${job}`);
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key])) as { locked: boolean }[];
      if (!locked) return { ran: false };
      try {
        // Taken before `work` opens its transaction, so that its snapshot follows every holder of the exclusive side.
        for (const shared of sharedLocks) await runner.query('SELECT pg_advisory_lock_shared($1::bigint)', [shared]);
        return { ran: true, value: await work() };
      } finally {
        for (const shared of sharedLocks) await runner.query('SELECT pg_advisory_unlock_shared($1::bigint)', [shared]);
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    } finally {
      await runner.release();
    }
  }
}

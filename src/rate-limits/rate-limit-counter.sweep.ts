import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';

/** Expired counters are harmless but take room: removed once a minute, never on a request's path. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Each replica sweeps on its own timer: the batches skip rows another sweep holds, so concurrent
 * sweeps cost a cheap query each and need no coordination.
 */
@Injectable()
export class RateLimitCounterSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitCounterSweep.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly storage: PostgresThrottlerStorage) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    try {
      const removed = await this.storage.deleteExpired();
      if (removed > 0) this.logger.debug(`Removed ${removed} expired rate-limit counters`);
    } catch (error) {
      this.logger.warn(`Rate-limit counter sweep failed: ${(error as Error).message}`);
    }
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { RateLimitCounter } from './rate-limit-counter.entity';
import { RateLimitCounterSweep } from './rate-limit-counter.sweep';

export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

/** Where the counters live: the `rate_limit_counters` table this module owns. */
@Module({
  imports: [TypeOrmModule.forFeature([RateLimitCounter])],
  providers: [PostgresThrottlerStorage, RateLimitCounterSweep, { provide: RATE_LIMIT_STORAGE, useExisting: PostgresThrottlerStorage }],
  exports: [RATE_LIMIT_STORAGE, PostgresThrottlerStorage],
})
export class RateLimitStorageModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Env } from '../config/env.validation';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { RateLimitCounter } from './rate-limit-counter.entity';
import { RateLimitCounterSweep } from './rate-limit-counter.sweep';
import { createRedisThrottlerStorage } from './redis-throttler.storage';

export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

/** Where the counters live: Redis when REDIS_URL is set, else the `rate_limit_counters` table this module owns. */
@Module({})
export class RateLimitStorageModule {
  static forEnv(env: Env): DynamicModule {
    const redisUrl = env.REDIS_URL;
    if (redisUrl) {
      return {
        module: RateLimitStorageModule,
        providers: [{ provide: RATE_LIMIT_STORAGE, useFactory: () => createRedisThrottlerStorage(redisUrl) }],
        exports: [RATE_LIMIT_STORAGE],
      };
    }
    return {
      module: RateLimitStorageModule,
      imports: [TypeOrmModule.forFeature([RateLimitCounter])],
      providers: [PostgresThrottlerStorage, RateLimitCounterSweep, { provide: RATE_LIMIT_STORAGE, useExisting: PostgresThrottlerStorage }],
      exports: [RATE_LIMIT_STORAGE, PostgresThrottlerStorage],
    };
  }
}

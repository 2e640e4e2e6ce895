import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { Env } from '../config/env.validation';
import { rateLimitOptions } from './rate-limit-options';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_STORAGE, RateLimitStorageModule } from './rate-limit-storage.module';

/**
 * Per-client limits that hold across replicas: named budgets (`@RateBudget`), counters shared in
 * PostgreSQL or Redis. With RATE_LIMIT_ENABLED=false (benchmarks) nothing is limited and no store is opened.
 */
@Module({})
export class RateLimitsModule {
  static forEnv(env: Env): DynamicModule {
    if (!env.RATE_LIMIT_ENABLED) return { module: RateLimitsModule };
    return {
      module: RateLimitsModule,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [RateLimitStorageModule.forEnv(env)],
          inject: [RATE_LIMIT_STORAGE],
          useFactory: (storage: ThrottlerStorage) => rateLimitOptions(env, storage),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}

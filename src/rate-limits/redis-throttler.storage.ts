import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';

const logger = new Logger('RateLimitStore');

/**
 * The counters in Redis (`REDIS_URL`). While Redis is away a request must fail at once (the guard
 * answers 503) instead of waiting in ioredis's offline queue; ioredis keeps reconnecting in the
 * background, so the limits work again as soon as Redis is back, without a restart.
 */
export function createRedisThrottlerStorage(url: string): ThrottlerStorageRedisService {
  const storage = new ThrottlerStorageRedisService(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
  });
  logConnectionChanges(storage.redis);
  return storage;
}

/** One line when Redis goes away and one when it is back, not one per reconnection attempt. */
function logConnectionChanges(redis: Redis | Cluster): void {
  let reachable: boolean | undefined;
  redis.on('ready', () => {
    if (reachable !== true) logger.log('Rate-limit counters: connected to Redis');
    reachable = true;
  });
  redis.on('error', (error: Error) => {
    if (reachable !== false) logger.warn(`Rate-limit counters: Redis unreachable (${error.message}); limited routes answer 503 until it is back`);
    reachable = false;
  });
}

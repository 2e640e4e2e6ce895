import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AddressCacheEntry } from './address-cache.entity';

export type CacheKind = 'suggest' | 'address' | 'building';

/** Expired rows removed per write: small, so a write never waits on a long delete. */
const PURGE_BATCH_SIZE = 50;

/** `kind:sha256(text)`: the cache never holds what someone typed, only its hash. */
export function cacheKey(kind: CacheKind, normalisedText: string): string {
  return `${kind}:${createHash('sha256').update(normalisedText).digest('hex')}`;
}

/**
 * The address cache table. Reads ignore expired rows; each write removes a small batch of expired
 * ones. The cache only saves look-ups: when the database fails, reads miss and writes are skipped
 * (with a warning) instead of failing the look-up.
 */
@Injectable()
export class AddressCacheStore {
  private readonly logger = new Logger(AddressCacheStore.name);

  constructor(@InjectRepository(AddressCacheEntry) private readonly entries: Repository<AddressCacheEntry>) {}

  async readFresh<T>(key: string): Promise<T | undefined> {
    try {
      const rows = await this.entries.query<{ value: T }[]>(`SELECT value FROM address_cache WHERE cache_key = $1 AND expires_at > now()`, [key]);
      return rows[0]?.value;
    } catch (error) {
      this.logger.warn(`Address cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    try {
      await this.entries.query(
        `INSERT INTO address_cache (cache_key, value, expires_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, created_at = now()`,
        [key, JSON.stringify(value), new Date(Date.now() + ttlMs)],
      );
      await this.deleteExpiredBatch();
    } catch (error) {
      this.logger.warn(`Address cache write failed: ${(error as Error).message}`);
    }
  }

  private async deleteExpiredBatch(): Promise<void> {
    await this.entries.query(
      `DELETE FROM address_cache WHERE cache_key IN (
         SELECT cache_key FROM address_cache WHERE expires_at <= now() ORDER BY expires_at LIMIT $1)`,
      [PURGE_BATCH_SIZE],
    );
  }
}

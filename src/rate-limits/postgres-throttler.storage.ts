import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Small enough that a sweep never holds many row locks at once while requests update counters. */
const SWEEP_BATCH_SIZE = 1000;

/**
 * One hit, atomically, whichever replica takes it. The row is in one of four phases: blocked (the
 * hit is not counted), new (no live window, or the block is over: a fresh window starts), exceeding
 * (this hit goes over the limit: blocked for the block duration, the row kept until then) or
 * counting. Times come from the database clock, the one clock all replicas share.
 * $1 key, $2 window ms, $3 limit, $4 block ms.
 */
const HIT = `
  INSERT INTO rate_limit_counters AS c (key, hits, expires_at)
  VALUES ($1, 1, now() + $2::float8 * interval '1 millisecond')
  ON CONFLICT (key) DO UPDATE SET (hits, expires_at, blocked_until) = (
    SELECT CASE phase WHEN 'blocked' THEN c.hits WHEN 'new' THEN 1 ELSE c.hits + 1 END,
           CASE phase WHEN 'new' THEN EXCLUDED.expires_at
                      WHEN 'exceeding' THEN GREATEST(c.expires_at, now() + $4::float8 * interval '1 millisecond')
                      ELSE c.expires_at END,
           CASE phase WHEN 'blocked' THEN c.blocked_until
                      WHEN 'exceeding' THEN now() + $4::float8 * interval '1 millisecond' END
    FROM (SELECT CASE WHEN c.blocked_until > now() THEN 'blocked'
                      WHEN c.blocked_until IS NOT NULL OR c.expires_at <= now() THEN 'new'
                      WHEN c.hits >= $3 THEN 'exceeding'
                      ELSE 'counting' END AS phase) AS current)
  RETURNING hits,
            ceil(extract(epoch FROM expires_at - now()))::int AS expires_in,
            coalesce(blocked_until > now(), false) AS blocked,
            coalesce(ceil(extract(epoch FROM blocked_until - now())), 0)::int AS blocked_for`;

const DELETE_EXPIRED_BATCH = `
  WITH batch AS (
    SELECT key FROM rate_limit_counters WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED),
  deleted AS (
    DELETE FROM rate_limit_counters c USING batch b WHERE c.key = b.key RETURNING 1)
  SELECT count(*)::int AS removed FROM deleted`;

type HitRow = { hits: number; expires_in: number; blocked: boolean; blocked_for: number };

/**
 * The rate-limit counters in PostgreSQL, shared by every replica on the database, with the
 * semantics of the library's in-memory storage: hits counted within the window, and once over the
 * limit, blocked for the block duration (hits are not counted meanwhile), then a fresh window.
 */
@Injectable()
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // Without a block duration the library rejects until the window ends; blocking for one window does the same.
    const blockMs = blockDuration > 0 ? blockDuration : ttl;
    const [row] = await this.dataSource.query<HitRow[]>(HIT, [counterKey(throttlerName, key), ttl, limit, blockMs]);
    return { totalHits: row.hits, timeToExpire: row.expires_in, isBlocked: row.blocked, timeToBlockExpire: row.blocked_for };
  }

  /** Deletes the counters whose window and block are over, batch by batch; returns how many. */
  async deleteExpired(): Promise<number> {
    let removed = 0;
    for (;;) {
      const [batch] = await this.dataSource.query<{ removed: number }[]>(DELETE_EXPIRED_BATCH, [SWEEP_BATCH_SIZE]);
      removed += batch.removed;
      if (batch.removed < SWEEP_BATCH_SIZE) return removed;
    }
  }
}

/** Fixed-size, and no client address in the table whatever key a caller passes. */
function counterKey(throttlerName: string, key: string): Buffer {
  return createHash('sha256').update(`${throttlerName}\n${key}`).digest();
}

import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** A stable 64-bit advisory-lock key for a name (hashtext is not guaranteed stable across versions). */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/** Holds the named lock exclusively until the caller's transaction ends (waits for it). */
export async function lockForTransaction(manager: EntityManager, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [key]);
}

/** Holds the named lock shared with other shared holders until the caller's transaction ends. */
export async function lockSharedForTransaction(manager: EntityManager, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [key]);
}

/**
 * DataSource.transaction, but the transaction holds the named lock from its first statement on:
 * START TRANSACTION and the lock go to the database in one message (the simple query protocol takes
 * several statements; the key is an integer, written into the text), one round trip less than
 * starting and then locking. TypeORM still drives the transaction (commit, rollback, release); only
 * the text of its START TRANSACTION is extended, on this one query runner. Should a TypeORM version
 * start transactions with other text, the lock is taken by a statement of its own instead.
 */
export async function transactionHolding<T>(dataSource: DataSource, key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const startAndLock = `START TRANSACTION; SELECT pg_advisory_xact_lock(${BigInt(key)})`;
  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  let lockedAtStart = false;
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
    if (sql !== 'START TRANSACTION') return query(sql, parameters, structured);
    lockedAtStart = true;
    return query(startAndLock, parameters, structured);
  }) as typeof runner.query;
  try {
    return await runner.manager.transaction(async (manager) => {
      if (!lockedAtStart) await lockForTransaction(manager, key);
      return work(manager);
    });
  } finally {
    await runner.release();
  }
}

import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

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

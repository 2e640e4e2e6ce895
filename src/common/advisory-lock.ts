import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** A stable 64-bit advisory-lock key for a name (hashtext is not guaranteed stable across versions). */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Serialises every change to one building (registration, confirmation, deletion) for the rest of
 * the transaction, across both record tables and across replicas.
 */
export async function lockBuilding(manager: EntityManager, buildingId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(`building:${buildingId}`)]);
}

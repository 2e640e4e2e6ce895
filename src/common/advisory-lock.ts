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

/**
 * The erasure gate. An erasure holds it exclusively for its transaction; a recomputation and a
 * confirmation's neighbour e-mails hold it shared. Without it, a recomputation that read the data
 * just before an unsubscribe committed would write the deleted building back into communities,
 * contact state and queued e-mails after the erasure had removed them.
 */
export const ERASURE_GATE = advisoryKey('gate:erasure');

export async function lockErasureGateExclusively(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [ERASURE_GATE]);
}

export async function lockErasureGateShared(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [ERASURE_GATE]);
}

import type { DataSource, EntityManager } from 'typeorm';
import { advisoryKey, lockForTransaction, lockSharedForTransaction, transactionHolding } from '../common/advisory-lock';

/**
 * Serialises every change to one building (registration, confirmation, deletion) for the rest of
 * the transaction, across both record tables and across replicas.
 */
export async function lockBuilding(manager: EntityManager, buildingId: string): Promise<void> {
  await lockForTransaction(manager, buildingKey(buildingId));
}

/** A transaction that holds the building's lock (as lockBuilding) from its start, in one round trip less. */
export function transactionLockingBuilding<T>(dataSource: DataSource, buildingId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return transactionHolding(dataSource, buildingKey(buildingId), work);
}

function buildingKey(buildingId: string): string {
  return advisoryKey(`building:${buildingId}`);
}

/**
 * The erasure gate. An erasure holds it exclusively for its transaction; a recomputation and a
 * confirmation's neighbour e-mails hold it shared. Without it, a recomputation that read the data
 * just before an unsubscribe committed would write the deleted building back into communities,
 * contact state and queued e-mails after the erasure had removed them.
 */
export const ERASURE_GATE = advisoryKey('gate:erasure');

export async function lockErasureGateExclusively(manager: EntityManager): Promise<void> {
  await lockForTransaction(manager, ERASURE_GATE);
}

export async function lockErasureGateShared(manager: EntityManager): Promise<void> {
  await lockSharedForTransaction(manager, ERASURE_GATE);
}

import type { DataSource } from 'typeorm';

/** Arbitrary but fixed: the advisory lock key that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 7_240_001;

/**
 * TypeORM takes no lock around migrations; replicas booting together would race on the same
 * DDL. A session-level advisory lock makes the second one wait and then find nothing to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

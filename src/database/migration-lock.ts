import type { DataSource } from 'typeorm';

/** Arbitrary but fixed: the advisory lock key that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 7_240_001;

/**
 * TypeORM takes no lock around migrations; replicas booting together would race on the same
 * DDL. A session-level advisory lock makes the second one wait and then find nothing to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource, mode: 'server' | 'embedded'): Promise<void> {
  // The embedded database serves one process with one connection: nothing to race with, and the
  // lock's own connection would leave none for the migrations.
  if (mode === 'embedded') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
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

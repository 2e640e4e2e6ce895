import { DatabaseTarget } from '../database/database-target';

/**
 * Why this service has to run VACUUM itself, or undefined when PostgreSQL does it. A server's
 * autovacuum reclaims the space of deleted and updated rows; the embedded database runs without
 * background workers, so it never does, whatever its `autovacuum` setting says.
 */
export function ownVacuumReason(mode: DatabaseTarget['mode'], autovacuumSetting: string): string | undefined {
  if (mode === 'embedded') return 'the embedded database has no autovacuum';
  if (autovacuumSetting !== 'on') return 'autovacuum is off on this PostgreSQL server';
  return undefined;
}

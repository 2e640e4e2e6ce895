import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnv } from '../src/config/env.validation';
import { dataSourceOptions } from '../src/database/data-source-options';
import { openDatabase } from '../src/database/database-target';

/**
 * Creates one migrated embedded database per run; each suite copies it instead of paying for
 * initdb and the migrations again (seconds each on this machine).
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leg-template-'));
  const target = await openDatabase(validateEnv({ DATA_DIR: dir }));
  const dataSource = await new DataSource(dataSourceOptions(target, false)).initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  await target.close();
  process.env.LEG_TEST_EMBEDDED_TEMPLATE = dir;
}

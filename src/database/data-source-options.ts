import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { DatabaseTarget } from './database-target';

/**
 * Every entity file of the schema, found by name so that the database layer depends on no feature:
 * each feature module registers its own entities with the app (TypeOrmModule.forFeature); the CLI
 * and the migration tests load all of them from here.
 */
const ENTITY_FILES = join(__dirname, '..', '**', '*.entity.{ts,js}');

/** The one set of DataSource options, shared by the app and the TypeORM CLI (ormconfig.ts). */
export function dataSourceOptions(
  target: Pick<DatabaseTarget, 'url' | 'ssl' | 'poolSize' | 'connectTimeoutMs'>,
  runMigrations: boolean,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    ssl: target.ssl,
    entities: [ENTITY_FILES],
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsRun: runMigrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: target.poolSize,
      connectionTimeoutMillis: target.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: 'leg-match',
    },
  };
}

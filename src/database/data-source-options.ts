import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { DatabaseTarget } from './database-target';
import { ENTITIES } from './entities';

/** The one set of DataSource options, shared by the app and the TypeORM CLI (ormconfig.ts). */
export function dataSourceOptions(
  target: Pick<DatabaseTarget, 'url' | 'ssl' | 'poolSize' | 'connectTimeoutMs'>,
  runMigrations: boolean,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    ssl: target.ssl,
    entities: ENTITIES,
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

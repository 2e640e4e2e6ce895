import { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Env } from '../../src/config/env.validation';
import { DatabaseTarget, openDatabase } from '../../src/database/database-target';
import { DatabaseModule } from '../../src/database/database.module';
import { SchedulingModule } from '../../src/scheduling/scheduling.module';
import { createTestDatabase, DatabaseMode, defaultMode, TestDatabase, testEnv } from './test-database';

export type ServiceContext = {
  app: INestApplicationContext;
  dataSource: DataSource;
  database: TestDatabase;
  close: () => Promise<void>;
};

/**
 * Some feature modules on a migrated database of their own, without HTTP, mail delivery or timers:
 * the services under test are called directly (immich's "medium" tests).
 */
export async function startServiceContext(
  modules: (Type | DynamicModule)[],
  overrides: Record<string, string> = {},
  mode: DatabaseMode = defaultMode(),
): Promise<ServiceContext> {
  const database = await createTestDatabase(mode);
  const env: Env = testEnv(database, { MAIL_WORKER_ENABLED: 'false', CLUSTER_RECOMPUTE_DEBOUNCE_MS: '600000', ...overrides });
  let target: DatabaseTarget | undefined;
  try {
    target = await openDatabase(env);
    const testing = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...env })] }),
        EventEmitterModule.forRoot(),
        DatabaseModule.forTarget(target, true),
        SchedulingModule,
        ...modules,
      ],
    }).compile();
    const app = await testing.init();
    const opened = target;
    return {
      app,
      dataSource: app.get(DataSource),
      database,
      close: async () => {
        await app.close();
        await opened.close();
        await database.drop();
      },
    };
  } catch (error) {
    await target?.close();
    await database.drop();
    throw error;
  }
}

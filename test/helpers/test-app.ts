import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup';
import { RecomputationService } from '../../src/communities/recomputation/recomputation.service';
import { OutboxWorker } from '../../src/mail/outbox.worker';
import { ErasureService } from '../../src/registration/erasure.service';
import { Env } from '../../src/config/env.validation';
import { DatabaseTarget, openDatabase } from '../../src/database/database-target';

export type TestApp = {
  app: NestExpressApplication;
  env: Env;
  database: DatabaseTarget;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
};

/** Boots the whole application on the given environment, as main.ts does, without a listening port. */
export async function startTestApp(env: Env): Promise<TestApp> {
  const database = await openDatabase(env);
  const app = await createApp(env, database).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    env,
    database,
    dataSource: app.get(DataSource),
    http: () => request(server),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Lets background work finish: the pending recomputation and, unless told otherwise, every due e-mail. */
export async function settle(sut: TestApp, options: { deliverMail: boolean } = { deliverMail: true }): Promise<void> {
  await sut.app.get(ErasureService).unsubscribeRequestsHandled();
  await sut.app.get(RecomputationService).settled();
  if (!options.deliverMail) return;
  while ((await sut.app.get(OutboxWorker).deliverDue(100)) > 0);
}

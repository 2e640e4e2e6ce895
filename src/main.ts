import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { loadEnv } from './config/load-env';
import { InvalidConfigurationError } from './config/env.validation';
import { openDatabase } from './database/database-target';
import { DataDirLockedError } from './database/embedded-postgres';

const logger = new Logger('Bootstrap');

/** Stops on SIGTERM/SIGINT: refuse new connections, let in-flight requests finish (bounded), close the database. */
function closeOnSignals(close: () => Promise<void>, graceMs: number): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down (grace ${graceMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error('Shutdown grace period exceeded, exiting');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const database = await openDatabase(env);
  const app = await createApp(env, database).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  logger.log(`Database: ${database.description}`);
  const server = await app.listen(env.PORT, env.HOST);
  closeOnSignals(async () => {
    await app.close();
    await database.close();
  }, env.SHUTDOWN_GRACE_MS);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.log(`Listening on ${env.HOST}:${port} (API docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidConfigurationError || error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});

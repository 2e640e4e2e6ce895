import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { trackForDrain } from './common/http-drain';
import { limitHeapGrowth } from './config/heap-growth';
import { loadEnv } from './config/load-env';
import { InvalidConfigurationError } from './config/env.validation';
import { openDatabase } from './database/database-target';
import { DataDirLockedError } from './database/embedded-postgres';
import { MailTransport } from './mail/mail-transport';
import { startupBanner } from './startup-banner';

limitHeapGrowth();

const logger = new Logger('Bootstrap');
/** Part of the grace period kept for closing the application and the database after the HTTP drain. */
const CLOSE_RESERVE_MS = 2000;

/** Stops on SIGTERM/SIGINT: refuse new connections, let requests on open ones finish (bounded), close the database. */
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
      .then(() => {
        // The operator's sign that the shutdown completed; the exit flush of the log destination writes it out.
        logger.log('Stopped');
        process.exit(0);
      })
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
  const http = trackForDrain(app.getHttpServer());
  const server = await app.listen(env.PORT, env.HOST);
  closeOnSignals(async () => {
    await http.drain(Math.max(env.SHUTDOWN_GRACE_MS - CLOSE_RESERVE_MS, env.SHUTDOWN_GRACE_MS / 2));
    await app.close();
    await database.close();
  }, env.SHUTDOWN_GRACE_MS);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.log(
    startupBanner({
      host: env.HOST,
      port,
      baseUrl: env.APP_BASE_URL,
      database: database.description,
      addresses: { kind: env.ADDRESS_DIRECTORY, geoadminUrl: env.GEOADMIN_API_URL },
      mail: app.get(MailTransport).description,
    }),
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof InvalidConfigurationError || error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});

import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { RecomputationService } from '../communities/recomputation/recomputation.service';
import { resolveAppSecret } from '../config/app-secret';
import { Env, InvalidConfigurationError } from '../config/env.validation';
import { loadEnv } from '../config/load-env';
import { openDatabase } from '../database/database-target';
import { DataDirLockedError } from '../database/embedded-postgres';
import { LegacyFileError } from '../legacy/legacy-format';

export type CliContext = { app: INestApplicationContext; description: string; close: () => Promise<void> };

/**
 * The application without HTTP on the configured database (DATABASE_URL or the embedded DATA_DIR),
 * as main.ts opens it; no mail delivery or scheduled jobs in this process (the service does them).
 */
export async function openCliContext(overrides: Partial<Env> = {}): Promise<CliContext> {
  const loaded = loadEnv();
  const database = await openDatabase(loaded);
  const env: Env = {
    ...loaded,
    LOG_LEVEL: process.env.LOG_LEVEL ? loaded.LOG_LEVEL : 'warn',
    MAIL_WORKER_ENABLED: false,
    TOKEN_PURGE_ENABLED: false,
    // No HTTP here: no counter store to open (and no Redis connection to wait for).
    RATE_LIMIT_ENABLED: false,
    ...overrides,
    APP_SECRET: resolveAppSecret(loaded, database.mode, database.dataDir ?? ''),
  };
  const app = await NestFactory.createApplicationContext(AppModule.register(env, database), { logger: ['error', 'warn'] }).catch(
    async (error: unknown) => {
      await database.close();
      throw error;
    },
  );
  // No recomputation in this process (it would queue contact e-mails): the service does it.
  await app.get(RecomputationService).suspend();
  return {
    app,
    description: database.description,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Runs `work` with the application context open, and closes it whatever happens. */
export async function withCliContext(work: (context: CliContext) => Promise<number>): Promise<number> {
  const context = await openCliContext();
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

/** Errors whose message says everything an operator needs: no stack trace for them. */
function isExpected(error: unknown): error is Error {
  return error instanceof LegacyFileError || error instanceof InvalidConfigurationError || error instanceof DataDirLockedError;
}

/** Runs a command and exits with its code; a failure prints `<failure>: <reason>` and exits 1. */
export function runCli(failure: string, main: () => Promise<number>): void {
  main()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      const reason = isExpected(error) ? error.message : ((error as Error)?.stack ?? String(error));
      process.stderr.write(`${failure}: ${reason}\n`);
      process.exit(1);
    });
}

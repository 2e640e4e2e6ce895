import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as AppSetup from '../src/app.setup';
import type * as OpenApiDocument from '../src/common/openapi-document';
import type * as DatabaseTarget from '../src/database/database-target';
import { REPO_ROOT } from './helpers/service-process';
import { createTestDatabase, testEnv } from './helpers/test-database';

/**
 * A module of the built application. The Swagger plugin runs only in `nest build`: without it the
 * document would lack every DTO field, so this reads `dist/`, the code that is deployed.
 */
async function built<T>(path: string): Promise<T> {
  return (await import(join(REPO_ROOT, 'dist', 'src', path))) as T;
}

/**
 * Writes the OpenAPI document of the real application to a file, for `npm run lint:openapi`. The
 * application boots on a throw-away database (a fresh one on TEST_DATABASE_URL, else an embedded one)
 * and never listens.
 */
async function writeOpenApi(output: string): Promise<void> {
  const { createApp } = await built<typeof AppSetup>('app.setup');
  const { buildOpenApiDocument } = await built<typeof OpenApiDocument>('common/openapi-document');
  const { openDatabase } = await built<typeof DatabaseTarget>('database/database-target');
  const database = await createTestDatabase();
  try {
    const env = testEnv(database);
    const target = await openDatabase(env);
    const app = await createApp(env, target).catch(async (error: unknown) => {
      await target.close();
      throw error;
    });
    const document = buildOpenApiDocument(app, env);
    await app.close();
    await target.close();
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`OpenAPI document written to ${output}\n`);
  } finally {
    await database.drop();
  }
}

writeOpenApi(resolve(process.argv[2] ?? join(REPO_ROOT, 'dist', 'openapi.json'))).catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});

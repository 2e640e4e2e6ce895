import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { setUpSwagger } from './common/openapi-document';
import { createValidationPipe } from './common/validation.pipe';
import { resolveAppSecret } from './config/app-secret';
import { Env } from './config/env.validation';
import { parseTrustProxy } from './config/trust-proxy';
import { DatabaseTarget } from './database/database-target';
import { exampleProfilePatch } from './openapi-examples';

export const BODY_LIMIT = '1mb';

function corsOrigins(env: Env): string[] | false {
  const origins = env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
  return origins.length > 0 ? origins : false;
}

/** Builds the HTTP application (not yet listening): the same set-up for the service and the tests. */
export async function createApp(givenEnv: Env, database: DatabaseTarget): Promise<NestExpressApplication> {
  const env = { ...givenEnv, APP_SECRET: resolveAppSecret(givenEnv, database.mode, database.dataDir ?? '') };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(env, database), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // req.ip, which the rate limits count by, is the peer unless TRUST_PROXY names the proxies in front.
  app.set('trust proxy', parseTrustProxy(env.TRUST_PROXY));
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // Served over plain HTTP on localhost in development; TLS is the proxy's business.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.enableCors({ origin: corsOrigins(env) });
  app.use(compression());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useGlobalPipes(createValidationPipe());
  setUpSwagger(app, env, exampleProfilePatch(app));
  return app;
}

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { APP_VERSION } from './common/app-version';
import { createValidationPipe } from './common/validation.pipe';
import { resolveAppSecret } from './config/app-secret';
import { Env } from './config/env.validation';
import { parseTrustProxy } from './config/trust-proxy';
import { DatabaseTarget } from './database/database-target';

export const BODY_LIMIT = '1mb';

function corsOrigins(env: Env): string[] | false {
  const origins = env.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
  return origins.length > 0 ? origins : false;
}

function setUpSwagger(app: INestApplication, env: Env): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`${env.APP_NAME} API`)
      .setDescription(
        'Building owners check their address, register (anonymously into the interest pool or fully), ' +
          'confirm their e-mail and are grouped with neighbours within the community radius into candidate ' +
          'local electricity communities (LEG), ranked by autarky. Public routes never return personal data.',
      )
      .setVersion(APP_VERSION)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY' }, 'admin')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: `${env.APP_NAME} API` });
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
  setUpSwagger(app, env);
  return app;
}

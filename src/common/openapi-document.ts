import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Env } from '../config/env.validation';
import { APP_VERSION } from './app-version';

/** Tags in the order Swagger UI shows them: the way an owner goes through the service, then operators' routes. */
const TAGS: [name: string, description: string][] = [
  ['health', 'Liveness and database reachability'],
  ['map', 'Public map data and the address check: jittered positions, never personal data'],
  ['registration', 'Register a building, confirm the e-mail address, unsubscribe'],
  ['pages', 'The HTML pages behind the links in e-mails'],
  ['admin', 'Records with personal data, counts and maintenance: Authorize with ADMIN_API_KEY first'],
  ['legacy', "The previous version's routes, kept for its page (deprecated: each names its replacement)"],
];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Declares every operation without a security requirement as public (`security: []`). Done once
 * over the whole document rather than by a decorator per route, so that a route added later is
 * either guarded (`@ApiBearerAuth`) or explicitly public, never undeclared.
 */
export function markPublicOperations(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation && operation.security === undefined) operation.security = [];
    }
  }
  return document;
}

/** The OpenAPI document of the application, as served at /docs-json and linted in CI. */
export function buildOpenApiDocument(app: INestApplication, env: Env): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(`${env.APP_NAME} API`)
    .setDescription(
      'Building owners check their address, register (anonymously into the interest pool or fully), ' +
        'confirm their e-mail and are grouped with neighbours within the community radius into candidate ' +
        'local electricity communities (LEG), ranked by autarky. Public routes never return personal data.',
    )
    .setVersion(APP_VERSION)
    // Swagger UI sends "Try it out" requests to the first server. Relative to the page, it is this process
    // however the page was reached (PORT=0, another host name, a proxy that rewrites Host or adds a path);
    // APP_BASE_URL, the public address, may be another origin that CORS refuses or nobody listens on.
    .addServer('.', 'This server: the address this page was loaded from')
    .addServer(env.APP_BASE_URL.replace(/\/+$/, ''), 'APP_BASE_URL: the public address')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: "The server's ADMIN_API_KEY (without it the admin API is off)" },
      'admin',
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return markPublicOperations(SwaggerModule.createDocument(app, builder.build()));
}

/** Changes the document for one request (for example, examples that must be fresh); the given document must stay as it is. */
export type DocumentPatch = (request: unknown, response: unknown, document: OpenAPIObject) => Promise<OpenAPIObject>;

/** Swagger UI at /docs, the document at /docs-json, each passed through `patch` when one is given. */
export function setUpSwagger(app: INestApplication, env: Env, patch?: DocumentPatch): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, env), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: `${env.APP_NAME} API`,
    ...(patch ? { patchDocumentOnRequest: patch } : {}),
  });
}

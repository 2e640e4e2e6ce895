import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; example?: unknown; schema?: Record<string, unknown> }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type ApiDocument = { servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };

const ERROR_SCHEMA = '#/components/schemas/ErrorResponse';
/** Takes no input and is never rate limited, so it has no client error to document. */
const UNLIMITED_WITHOUT_CLIENT_ERRORS = ['GET /health'];

function operations(document: ApiDocument): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]));
}

describe('OpenAPI document at /docs-json (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let document: ApiDocument;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(testEnv(database, { APP_BASE_URL: 'https://leg.example.ch/', MAIL_WORKER_ENABLED: 'false' }));
    document = (await sut.http().get('/docs-json').expect(200)).body as ApiDocument;
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('should send requests to the server the page came from, and name APP_BASE_URL as the public one', () => {
    expect(document.servers.map((server) => server.url)).toEqual(['.', 'https://leg.example.ch']);
  });

  it('should require the admin key on admin routes and declare every other operation public', () => {
    const security = Object.fromEntries(operations(document).map(([name, operation]) => [name, operation.security]));

    for (const [name, requirement] of Object.entries(security)) {
      expect([name, requirement]).toEqual([name, name.includes(' /api/admin/') ? [{ admin: [] }] : []]);
    }
  });

  it('should document a client error for every operation, with the shared error body on the JSON API', () => {
    for (const [name, operation] of operations(document)) {
      if (UNLIMITED_WITHOUT_CLIENT_ERRORS.includes(name)) continue;
      const clientErrors = Object.entries(operation.responses).filter(([status]) => status.startsWith('4'));
      expect([name, clientErrors.length > 0]).toEqual([name, true]);
      // The previous version's routes keep their own error shape; the pages answer errors with HTML.
      if (operation.operationId.startsWith('Legacy') || operation.operationId.startsWith('LinkPages')) continue;
      for (const [status, response] of clientErrors) {
        expect([name, status, response.content?.['application/json']?.schema?.$ref]).toEqual([name, status, ERROR_SCHEMA]);
      }
    }
  });

  it('should document page and limit of the admin lists as optional integers with defaults', () => {
    const parameters = document.paths['/api/admin/buildings'].get.parameters ?? [];

    expect(parameters.filter((parameter) => ['page', 'limit'].includes(parameter.name))).toEqual([
      expect.objectContaining({ name: 'page', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', default: 1 }) }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', default: 50 }) }),
    ]);
  });

  it('should name in the admin examples the building that the example address has in the directory in use', () => {
    const record = document.paths['/api/admin/records/{buildingId}'];

    for (const operation of [record.get, record.delete]) {
      expect(operation.parameters).toEqual([expect.objectContaining({ name: 'buildingId', example: 'demo-baden-badstrasse-12' })]);
    }
  });
});

import { Browser } from 'playwright-core';
import { killAllServiceProcesses, ServiceProcess, startServiceProcess } from '../helpers/service-process';
import { Execution, launchChromium, screenshotWhenPage, SwaggerUi } from '../helpers/swagger-ui';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

const ADMIN_API_KEY = 'browser-test-admin-key-0123456789';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<string, unknown>;
};
type ApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

/** Every operation of the served document, by operationId. */
function operationsOf(document: ApiDocument): Map<string, Operation> {
  return new Map(Object.values(document.paths).flatMap((pathItem) => Object.values(pathItem).map((operation) => [operation.operationId, operation])));
}

/** Its example can only be a made-up link token (in the path or the body): nobody received such a link. */
function takesLinkToken(operation: Operation, document: ApiDocument): boolean {
  if (operation.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === 'token')) return true;
  const bodySchemas = Object.values(operation.requestBody?.content ?? {}).map((media) => media.schema?.$ref?.split('/').pop());
  return bodySchemas.some((name) => name !== undefined && 'token' in (document.components.schemas[name]?.properties ?? {}));
}

/** Why this execution is not what an operator should see on the first click, or undefined when it is. */
function problemWith(execution: Execution, operation: Operation, document: ApiDocument): string | undefined {
  if (!execution.executed) return `could not be executed (${execution.invalidFields} field(s) marked invalid)`;
  const { status } = execution;
  if (typeof status !== 'number') return `no status code: ${status}`;
  if (status >= 200 && status < 300) return undefined;
  if (status === 404 && takesLinkToken(operation, document) && '404' in operation.responses) return undefined;
  return `answered ${status}`;
}

describe('Swagger UI at /docs (browser)', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let browser: Browser;
  let sut: SwaggerUi;
  let document: ApiDocument;

  beforeAll(async () => {
    database = await createTestDatabase();
    // APP_BASE_URL stays at its default (localhost:3000): the page is opened on another origin, as
    // happens with PORT=0 or an internal address, and "Try it out" must still reach this process.
    // The offline directory: this machine cannot reach geo.admin.ch, and neither can many who try it.
    service = await startServiceProcess({
      env: { ...database.settings, APP_SECRET: TEST_APP_SECRET, ADMIN_API_KEY, RATE_LIMIT_ENABLED: 'false', ADDRESS_DIRECTORY: 'offline' },
    });
    await service.waitForHealthy(20_000);
    document = (await (await fetch(`${service.url}/docs-json`)).json()) as ApiDocument;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await screenshotWhenPage(page, `${service.url}/`, 'start-page.png');
    sut = new SwaggerUi(page);
    await sut.open(service.url);
    await sut.screenshot('docs.png', { fullPage: false });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop(10_000);
    await killAllServiceProcesses();
    await database?.drop();
  });

  it('should list every operation of the API document', async () => {
    expect((await sut.operationIds()).sort()).toEqual([...operationsOf(document).keys()].sort());
  });

  it('should answer every operation with its filled-in example, authorized with the admin key', async () => {
    await sut.authorize(ADMIN_API_KEY);
    expect(await sut.isAuthorized()).toBe(true);

    const operations = operationsOf(document);
    const problems: string[] = [];
    // In page order, as an operator goes through it: the registration examples create the building
    // that the admin examples then read and delete.
    for (const operationId of await sut.operationIds()) {
      const execution = await sut.execute(operationId);
      const problem = problemWith(execution, operations.get(operationId)!, document);
      if (problem) problems.push(`${operationId}: ${problem}${execution.executed ? ` — ${execution.body}` : ''}`);
    }
    await sut.screenshot('docs-executed.png');

    // What each operation showed is in test/output/operation-<operationId>.png.
    expect(problems).toEqual([]);
  }, 300_000);
});

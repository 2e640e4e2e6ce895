import { APP_VERSION } from '../src/common/app-version';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, testEnv, TestDatabase } from './helpers/test-database';

describe('Page at / (e2e)', () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await startTestApp(testEnv(database, { MAIL_WORKER_ENABLED: 'false' }));
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('should answer an HTML page under the service own Content-Security-Policy, never cached', async () => {
    const response = await sut.http().get('/').expect(200);

    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.text).not.toContain('<script');
  });

  it('should show the version, that the database is up, the database mode and the offline directory as demo data', async () => {
    const { text } = await sut.http().get('/').expect(200);

    expect(text).toMatch(new RegExp(`<tr id="version">.*${APP_VERSION.replace(/\./g, '\\.')}`));
    expect(text).toMatch(/<tr id="database">.*erreichbar.*up/);
    expect(text).toMatch(sut.database.mode === 'embedded' ? /<tr id="database-mode">.*embedded/ : /<tr id="database-mode">.*external PostgreSQL server/);
    expect(text).toMatch(/<tr id="address-directory">.*demo data of Baden AG/);
  });

  it('should tell no visitor where the database is', async () => {
    const { text } = await sut.http().get('/').expect(200);

    // The embedded database's directory, or the server's host and database name.
    const where = sut.database.mode === 'embedded' ? [sut.database.dataDir!] : [new URL(sut.database.url).host, new URL(sut.database.url).pathname.slice(1)];
    for (const place of where) expect(text).not.toContain(place);
  });

  it('should link pages that are there: the API documentation, its description and the health check', async () => {
    const { text } = await sut.http().get('/').expect(200);

    const links = [...text.matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(['docs', 'docs-json', 'health']);
    for (const link of links) await sut.http().get(`/${link}`).expect(200);
  });

  it('should stay out of the API description', async () => {
    const document = (await sut.http().get('/docs-json').expect(200)).body as { paths: Record<string, unknown> };

    expect(Object.keys(document.paths)).not.toContain('/');
  });
});

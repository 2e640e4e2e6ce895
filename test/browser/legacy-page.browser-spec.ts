import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { startPageServer, PageServer } from '../helpers/page-server';
import { killAllServiceProcesses, REPO_ROOT, ServiceProcess, startServiceProcess } from '../helpers/service-process';
import { BROWSER_OUTPUT, launchChromium } from '../helpers/swagger-ui';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from '../helpers/test-database';

/** Two houses of one street in the demo gazetteer: consecutive numbers stand a few metres apart. */
const FIRST = 'Kronengasse 1, 5400 Baden';
const NEXT = 'Kronengasse 3, 5400 Baden';
const FIRST_OWNER = 'first.owner@example.ch';
const NEXT_OWNER = 'next.owner@example.ch';
/** Background work (mail, recomputation) is awaited by polling up to this long; nothing asserts on time. */
const PATIENCE_MS = 60_000;

async function eventually<T>(what: string, attempt: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 100));
  }
}

/** The confirmation link's token from the development mail (an .eml file in DATA_DIR/mail) sent to `to`. */
function confirmationToken(mailDir: string, to: string): string | undefined {
  if (!existsSync(mailDir)) return undefined;
  for (const name of readdirSync(mailDir).filter((file) => file.endsWith('.eml'))) {
    // Quoted-printable soft line breaks may cut a link in two.
    const mail = readFileSync(join(mailDir, name), 'utf8').replace(/=\r?\n/g, '');
    if (!new RegExp(`^To: ${to.replace(/\./g, '\\.')}\\r?$`, 'm').test(mail)) continue;
    const link = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mail);
    if (link) return link[1];
  }
  return undefined;
}

/**
 * The previous version's page journey against this service, in a real browser: a page of our own,
 * served on the same origin in front of the service, calls the previous routes exactly as the old
 * page did (autocomplete, address check, both registrations with the returned profile, the map).
 */
describe('The previous page journey (browser)', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let front: PageServer;
  let browser: Browser;
  let page: Page;
  let mailDir: string;
  const consoleErrors: string[] = [];
  const apiCalls: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    mailDir = join(database.settings.DATA_DIR, 'mail');
    service = await startServiceProcess({
      env: { ...database.settings, APP_SECRET: TEST_APP_SECRET, ADDRESS_DIRECTORY: 'offline', MAIL_POLL_INTERVAL_MS: '100', CLUSTER_RECOMPUTE_DEBOUNCE_MS: '50' },
    });
    await service.waitForHealthy(20_000);
    front = await startPageServer(join(REPO_ROOT, 'test', 'fixtures', 'legacy-page'), service.url);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(`${request.method()} ${url.pathname}${url.search}`);
    });
    await page.goto(front.url);
    await page.locator('#map-status').filter({ hasText: 'Gemeinschaften' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await front?.close();
    await service?.stop(10_000);
    await killAllServiceProcesses();
    await database?.drop();
  });

  /** Types as a person does (one request per keystroke) and picks the address from the list. */
  async function typeAndPick(address: string): Promise<string[]> {
    const typed = address.split(',')[0];
    await page.locator('#address').fill('');
    await page.locator('#address').pressSequentially(typed);
    const suggestion = page.locator('#suggestions li', { hasText: address });
    await suggestion.waitFor();
    const listed = await page.locator('#suggestions li').allInnerTexts();
    await suggestion.click();
    return listed;
  }

  /** The owner opens the link of the confirmation e-mail and presses the button. */
  async function confirmByMail(to: string): Promise<void> {
    const token = await eventually(`the confirmation mail to ${to}`, () => confirmationToken(mailDir, to));
    const mailPage = await browser.newPage();
    await mailPage.goto(`${service.url}/confirm/${token}`);
    await mailPage.getByRole('button').click();
    await mailPage.getByRole('heading', { name: 'Vielen Dank!' }).waitFor();
    await mailPage.close();
  }

  async function publicBuildings(): Promise<number> {
    const answer = (await (await fetch(`${service.url}/api/get_all_buildings`)).json()) as { buildings: unknown[] };
    return answer.buildings.length;
  }

  it('should list the typed address in the autocomplete', async () => {
    const listed = await typeAndPick(FIRST);

    expect(listed).toContain(FIRST);
    expect(apiCalls).toContain(`GET /api/suggest_addresses?q=${encodeURIComponent('Kronengasse 1')}`);
  });

  it('should register the first address on the street anonymously with the profile of the check', async () => {
    await page.locator('#result').filter({ hasText: 'Keine direkten Partner gefunden.' }).waitFor();
    await page.locator('#email').fill(FIRST_OWNER);
    const registered = page.waitForResponse((response) => response.url().endsWith('/api/register_anonymous'));
    await page.locator('#register-anonymous').click();

    expect((await registered).status()).toBe(200);
    await page.locator('#register-result').filter({ hasText: 'Registriert.' }).waitFor();
    await confirmByMail(FIRST_OWNER);
    await eventually('the first building on the public map', async () => ((await publicBuildings()) === 1 ? true : undefined));
  });

  it('should tell the next house number on the street that it has a partner, and register it fully', async () => {
    const listed = await typeAndPick(NEXT);
    expect(listed).toContain(NEXT);

    await page.locator('#result').filter({ hasText: 'Partner gefunden!' }).waitFor();
    expect(await page.locator('#result').getAttribute('data-members')).toBe('2');
    await page.locator('#email').fill(NEXT_OWNER);
    const registered = page.waitForResponse((response) => response.url().endsWith('/api/register_full'));
    const mapReloaded = page.waitForResponse((response) => response.url().endsWith('/api/get_all_clusters'));
    await page.locator('#register-full').click();

    expect((await registered).status()).toBe(200);
    expect((await mapReloaded).status()).toBe(200);
    await page.locator('#register-result').filter({ hasText: 'Partner in der Nähe gefunden' }).waitFor();
  });

  it('should show the community of both houses when the map reloads after the second confirmation', async () => {
    await confirmByMail(NEXT_OWNER);
    await eventually('both buildings on the public map', async () => ((await publicBuildings()) === 2 ? true : undefined));

    await page.locator('#reload-map').click();

    await page.locator('#map li[data-members="2"]').waitFor();
    await page.screenshot({ path: join(BROWSER_OUTPUT, 'legacy-page-journey.png'), fullPage: true });
  });

  it('should have called the previous routes only, and logged no console error', () => {
    const routes = new Set(apiCalls.map((call) => call.replace(/\?.*$/, '')));

    expect([...routes].sort()).toEqual([
      'GET /api/get_all_clusters',
      'GET /api/suggest_addresses',
      'POST /api/check_potential',
      'POST /api/register_anonymous',
      'POST /api/register_full',
    ]);
    expect(consoleErrors).toEqual([]);
  });
});

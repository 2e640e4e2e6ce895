import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from './service-process';

/** Debian's chromium (apt-get install chromium): Playwright cannot download its own browsers here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Screenshots of the browser tests: git-ignored, kept by CI as an artifact. */
export const BROWSER_OUTPUT = join(REPO_ROOT, 'test', 'output');

/** Headless chromium in a fresh profile that never reaches for the network by itself. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(BROWSER_OUTPUT, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A screenshot of the page at `url` when one is served there (an HTML 200); nothing otherwise. */
export async function screenshotWhenPage(page: Page, url: string, name: string): Promise<void> {
  const response = await page.goto(url);
  if (response?.ok() && response.headers()['content-type']?.startsWith('text/html')) {
    await page.screenshot({ path: join(BROWSER_OUTPUT, name), fullPage: true });
  }
}

/** What Swagger UI showed after "Execute": the status code (or its text when there is none) and the start of the body. */
export type Execution = { executed: true; status: number | string; body: string } | { executed: false; invalidFields: number };

const RESPONSE_WAIT_MS = 15_000;

/** Swagger UI at /docs, driven the way an operator clicks through it. */
export class SwaggerUi {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/docs`);
    await this.page.locator('.opblock').first().waitFor();
  }

  /** "Authorize", the key into the bearer field, "Authorize", "Close". */
  async authorize(key: string): Promise<void> {
    await this.page.locator('.auth-wrapper button.authorize').click();
    const dialog = this.page.locator('.modal-ux');
    await dialog.locator('input#auth-bearer-value').fill(key);
    await dialog.locator('button.auth.authorize').click();
    await dialog.locator('button.btn-done').click();
  }

  /** Whether the lock of the Authorize button shows as closed. */
  isAuthorized(): Promise<boolean> {
    return this.page.locator('.auth-wrapper button.authorize.locked').isVisible();
  }

  /** The operations in the order the page lists them, by operationId. */
  async operationIds(): Promise<string[]> {
    const elementIds = await this.page.locator('.opblock').evaluateAll((blocks) => blocks.map((block) => block.id));
    // Swagger UI names each block `operations-<tag>-<operationId>`; tags have no dash here.
    return elementIds.map((id) => id.replace(/^operations-[^-]+-/, ''));
  }

  private operation(operationId: string): Locator {
    return this.page.locator(`.opblock[id$="-${operationId}"]`);
  }

  /** Expands the operation, "Try it out" with the filled-in example, "Execute", reads the response, collapses it again. */
  async execute(operationId: string): Promise<Execution> {
    const operation = this.operation(operationId);
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const status = operation.locator('.live-responses-table tbody .response-col_status');
    const execution = await status
      .waitFor({ timeout: RESPONSE_WAIT_MS })
      .then(async (): Promise<Execution> => {
        const text = (await status.innerText()).trim();
        const details = operation.locator('.live-responses-table tbody .response-col_description');
        // The response body when there is one (a download has none), else whatever the details say.
        const body = await details.locator('pre').first().innerText({ timeout: 1000 }).catch(() => details.innerText());
        return { executed: true, status: /^\d{3}$/.test(text) ? Number(text) : text, body: body.replace(/\s+/g, ' ').slice(0, 300) };
      })
      .catch(async (): Promise<Execution> => ({ executed: false, invalidFields: await operation.locator('.invalid').count() }));
    await operation.screenshot({ path: join(BROWSER_OUTPUT, `operation-${operationId}.png`) });
    await operation.locator('.opblock-summary-control').click();
    return execution;
  }

  async screenshot(name: string, options: { fullPage: boolean } = { fullPage: true }): Promise<void> {
    await this.page.screenshot({ path: join(BROWSER_OUTPUT, name), fullPage: options.fullPage });
  }
}

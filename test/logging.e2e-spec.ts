import { registrationBody } from './helpers/factories';
import { killAllServiceProcesses, runCommandToExit, ServiceProcess, startServiceProcess } from './helpers/service-process';
import { createTestDatabase, TEST_APP_SECRET, TestDatabase } from './helpers/test-database';

/** Starts the built service, registers one building, stops it with SIGTERM and returns everything it wrote. */
async function runOnce(database: TestDatabase, settings: Record<string, string>): Promise<{ service: ServiceProcess; email: string; exitCode: number | null }> {
  const service = await startServiceProcess({ env: { ...database.settings, APP_SECRET: TEST_APP_SECRET, MAIL_WORKER_ENABLED: 'false', ...settings } });
  const body = registrationBody();
  const response = await fetch(`${service.url}/api/buildings`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  const exit = await service.stop(10_000);
  return { service, email: body.email, exitCode: exit.code };
}

const BURST = 20_000;

/** A process that logs a burst through the service's log destination and exits at once, as a shutdown does. */
function burstThenExit(format: string): string {
  return [
    "const pino = require('pino');",
    "const { logDestination } = require('./dist/src/logging/logging.module');",
    `const logger = pino(logDestination('${format}'));`,
    `for (let i = 0; i < ${BURST}; i++) logger.info('line ' + i);`,
    'process.exit(0);',
  ].join('\n');
}

describe('Log output of the service', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await killAllServiceProcesses();
    await database.drop();
  });

  it('should write JSON lines when stdout is not a terminal, and every line up to the last after SIGTERM', async () => {
    const { service, email, exitCode } = await runOnce(database, {});

    expect(exitCode).toBe(0);
    const entries = service.stdout.filter(Boolean).map((line) => JSON.parse(line) as { msg: string; req?: { url: string } });
    expect(entries.find((entry) => entry.msg.startsWith('Listening on'))?.msg).toContain(`\n  API docs:  http://localhost:${service.port}/docs\n`);
    expect(entries.some((entry) => entry.msg === 'request completed' && entry.req?.url === '/api/buildings')).toBe(true);
    expect(entries.at(-1)?.msg).toBe('Stopped');
    expect(service.logs()).not.toContain(email);
  });

  it('should write pretty lines with LOG_FORMAT=pretty, the start-up block included, still without personal data', async () => {
    const { service, email, exitCode } = await runOnce(database, { LOG_FORMAT: 'pretty' });

    expect(exitCode).toBe(0);
    const lines = service.stdout.filter(Boolean);
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[[\d:.]+\] INFO: \[Bootstrap\] Listening on 127\.0\.0\.1:\d+$/),
        `  Page:      http://localhost:${service.port}/`,
        `  API docs:  http://localhost:${service.port}/docs`,
        expect.stringMatching(/^ {2}Database: {2}(embedded PostgreSQL \(PGlite\) in|PostgreSQL server at) /),
        // No ADDRESS_DIRECTORY: the demo gazetteer on the embedded database, the federal geodata on a server.
        expect.stringMatching(/^ {2}Addresses: (offline DEMO gazetteer of Baden AG \(not real data;|federal geodata at https:\/\/api3\.geo\.admin\.ch$)/),
        expect.stringMatching(/^ {2}E-mails: {3}development files in .+mail$/),
        expect.stringMatching(/INFO: \[HTTP\] request completed POST \/api\/buildings → 201 in \d+ ms$/),
      ]),
    );
    expect(lines.at(-1)).toMatch(/INFO: \[Bootstrap\] Stopped$/);
    expect(service.logs()).not.toContain(email);
  });

  it.each(['json', 'pretty'])('should write out every line of a burst logged right before exit (LOG_FORMAT=%s)', async (format) => {
    const result = await runCommandToExit(process.execPath, ['-e', burstThenExit(format)], { PATH: process.env.PATH ?? '' }, 30_000);

    expect(result).toMatchObject({ code: 0, timedOut: false });
    const lines = result.stdout.split('\n').filter((line) => /\bline \d+/.test(line));
    expect(lines).toHaveLength(BURST);
    expect(lines.at(-1)).toContain(`line ${BURST - 1}`);
  });
});

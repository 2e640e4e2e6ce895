import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAllServiceProcesses, runToExit, ServiceProcess, startServiceProcess } from './helpers/service-process';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

const LOCK_FILE = 'leg-match.pid';

describe('Embedded database directory lock', () => {
  let database: TestDatabase;
  let dataDir: string;
  let lockFile: string;
  const services: ServiceProcess[] = [];

  const start = async (): Promise<ServiceProcess> => {
    const service = await startServiceProcess({ env: { DATA_DIR: dataDir } });
    services.push(service);
    await service.waitForHealthy(20_000);
    return service;
  };

  beforeAll(async () => {
    // A copy of the migrated template: no initdb, no migrations to wait for.
    database = await createTestDatabase('embedded');
    dataDir = database.settings.DATA_DIR;
    lockFile = join(dataDir, LOCK_FILE);
  });

  afterAll(async () => {
    await killAllServiceProcesses();
    await database.drop();
  });

  // The steps build on each other: one data directory goes through a whole life cycle.
  let first: ServiceProcess;

  it('should hold the directory with a pid file while running', async () => {
    first = await start();

    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.pid));
  });

  it('should refuse a second process on the same directory and keep the first one serving', async () => {
    const second = await runToExit({ DATA_DIR: dataDir }, 15_000);

    expect(second).toMatchObject({ timedOut: false, code: 1 });
    expect(second.durationMs).toBeLessThan(8_000);
    expect(second.stderr).toContain(`The data directory ${dataDir} is in use by another process (pid ${first.pid})`);
    expect(second.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.pid));
    const health = await fetch(`${first.url}/health`, { signal: AbortSignal.timeout(3000) });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy', db: 'up' });
  });

  it('should take over the lock of a killed process', async () => {
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.pid)); // stale, left behind

    const successor = await start();

    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(successor.pid));
    expect(successor.logs()).toMatch(/embedded PostgreSQL \(PGlite\) in /);
    first = successor;
  });

  it('should exit 0 on SIGTERM and release the directory', async () => {
    const exit = await first.stop(15_000); // SIGTERM, SIGKILL only after 15 s

    expect(exit).toEqual({ code: 0, signal: null, timedOut: false });
    expect(first.logs()).toContain('SIGTERM received, shutting down');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('should open the cleanly closed directory again', async () => {
    const next = await start();

    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(next.pid));
    const exit = await next.stop(15_000);
    expect(exit).toMatchObject({ code: 0, timedOut: false });
    expect(existsSync(lockFile)).toBe(false);
  });
});

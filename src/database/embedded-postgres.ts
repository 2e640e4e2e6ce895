import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data directory ${dataDir} is in use by another process (pid ${pid}). ` +
        'The embedded database serves one process only: stop the other one, or set DATA_DIR to another directory.',
    );
  }
}

const LOCK_FILE = 'leg-match.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process. A pid file rather than a time-based lock: after a
 * SIGKILL the next start must take over at once, and the embedded database can block the event
 * loop for seconds (initdb), which would make a heartbeat lock look stale while it is held.
 */
function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`);
}

/**
 * PostgreSQL in-process (PGlite), persisted in DATA_DIR and served on a loopback port so that the
 * app, the tests and the migration CLI all use the same `pg` driver and migrations as in production.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly releaseLock: () => void,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  static async start(dataDir: string, options: { maxConnections: number }): Promise<EmbeddedPostgres> {
    const root = resolve(dataDir);
    mkdirSync(root, { recursive: true });
    const releaseLock = acquireDataDirLock(root);
    try {
      const db = await PGlite.create(join(root, 'pgdata'));
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections });
      await server.start();
      const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
      return new EmbeddedPostgres(db, server, releaseLock, url, root);
    } catch (error) {
      releaseLock();
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.releaseLock();
    }
  }
}

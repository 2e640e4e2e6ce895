import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** The file name `pg` connects to inside a socket directory (for the default port 5432). */
const SOCKET_FILE = '.s.PGSQL.5432';
/**
 * A socket path must fit sun_path (108 bytes on Linux, 104 on macOS, with the final NUL); the
 * directory and file below the base take 28 of them.
 */
const MAX_SOCKET_BASE_BYTES = 75;

/**
 * A directory only this user can enter (mkdtemp creates it with mode 0700), for the socket. Not in
 * DATA_DIR, whose path may be too long for a socket; /tmp when even the temp directory's is.
 */
function createSocketDirectory(): string {
  const base = Buffer.byteLength(tmpdir()) <= MAX_SOCKET_BASE_BYTES ? tmpdir() : '/tmp';
  return mkdtempSync(join(base, 'leg-pg-'));
}

/** A `pg` connection string for the socket in `directory` (pg reads a socket directory from `host`). */
function socketUrl(directory: string): string {
  return `postgresql://postgres@/postgres?host=${encodeURIComponent(directory)}`;
}

/**
 * PostgreSQL in-process (PGlite), persisted in DATA_DIR and served so that the app, the tests and the
 * migration CLI all use the same `pg` driver and migrations as in production. It has no password, so
 * it listens on a Unix socket in a directory private to this user, never on a TCP port that any
 * local process could reach.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly release: () => void,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  static async start(dataDir: string, options: { maxConnections: number }): Promise<EmbeddedPostgres> {
    const root = resolve(dataDir);
    mkdirSync(root, { recursive: true });
    const releaseLock = acquireDataDirLock(root);
    const socketDir = createSocketDirectory();
    const release = (): void => {
      rmSync(socketDir, { recursive: true, force: true });
      releaseLock();
    };
    try {
      const db = await PGlite.create(join(root, 'pgdata'));
      const server = new PGLiteSocketServer({ db, path: join(socketDir, SOCKET_FILE), maxConnections: options.maxConnections });
      await server.start();
      return new EmbeddedPostgres(db, server, release, socketUrl(socketDir), root);
    } catch (error) {
      release();
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.release();
    }
  }
}

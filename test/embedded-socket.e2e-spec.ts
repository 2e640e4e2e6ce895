import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { killAllServiceProcesses, ServiceProcess, startServiceProcess } from './helpers/service-process';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

const TCP_LISTEN = '0A';
const UNIX_LISTENING_FLAG = 0x10000;

/** The inodes of the sockets the process holds open (its fds link to `socket:[inode]`). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }));
    if (match) inodes.add(match[1]);
  }
  return inodes;
}

/** Rows of a /proc/net table, split into fields, without the header. */
function procTable(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/));
}

/** The TCP ports (IPv4 and IPv6) the process listens on. */
function listeningTcpPorts(pid: number): number[] {
  const own = socketInodes(pid);
  return ['tcp', 'tcp6']
    .flatMap((table) => procTable(`/proc/${pid}/net/${table}`))
    .filter((fields) => fields[3] === TCP_LISTEN && own.has(fields[9]))
    .map((fields) => parseInt(fields[1].split(':')[1], 16));
}

/** The paths of the Unix sockets the process listens on. */
function listeningUnixSockets(pid: number): string[] {
  const own = socketInodes(pid);
  return procTable(`/proc/${pid}/net/unix`)
    .filter((fields) => (parseInt(fields[3], 16) & UNIX_LISTENING_FLAG) !== 0 && own.has(fields[6]) && fields[7])
    .map((fields) => fields[7]);
}

function effectiveUid(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith('Uid:'));
  return Number(line!.split(/\s+/)[2]);
}

describe('Embedded database socket (DATA_DIR longer than a socket path)', () => {
  let database: TestDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase('embedded', { empty: true });
    // Far beyond the 107 bytes of a socket path: the socket must not live in DATA_DIR.
    const dataDir = join(database.settings.DATA_DIR, 'a-data-directory-with-a-long-name'.repeat(4));
    mkdirSync(dataDir, { recursive: true });
    cpSync(process.env.LEG_TEST_EMBEDDED_TEMPLATE!, dataDir, { recursive: true });
    service = await startServiceProcess({ env: { DATA_DIR: dataDir } });
    await service.waitForHealthy(20_000);
  });

  afterAll(async () => {
    await killAllServiceProcesses();
    await database.drop();
  });

  it('should listen on no TCP port other than its HTTP port', () => {
    expect(listeningTcpPorts(service.pid)).toEqual([service.port]);
  });

  it('should serve the database on one Unix socket in a directory of mode 0700 owned by its user', () => {
    const sockets = listeningUnixSockets(service.pid);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(/\/\.s\.PGSQL\.5432$/);
    const directory = statSync(dirname(sockets[0]));
    expect(directory.isDirectory()).toBe(true);
    expect(directory.mode & 0o777).toBe(0o700);
    expect(directory.uid).toBe(effectiveUid(service.pid));
  });

  it('should remove the socket directory when it stops', async () => {
    const [socket] = listeningUnixSockets(service.pid);

    expect(await service.stop(15_000)).toMatchObject({ code: 0, timedOut: false });
    expect(existsSync(dirname(socket))).toBe(false);
  });
});

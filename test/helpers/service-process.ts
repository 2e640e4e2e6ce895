import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root: where `dist/src/main.js` is built. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
const MAIN = join('dist', 'src', 'main.js');
const LISTENING = /Listening on 127\.0\.0\.1:(\d+)/;

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export type ServiceProcess = {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  stdout: string[];
  stderr: string[];
  /** Everything the process wrote so far, stdout then stderr. */
  logs: () => string;
  waitForHealthy: (timeoutMs: number) => Promise<void>;
  kill: (signal?: NodeJS.Signals) => void;
  exited: Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL when it has not exited within `timeoutMs`. */
  stop: (timeoutMs?: number) => Promise<ExitStatus>;
};

export type StartOptions = { env: Record<string, string>; cwd?: string; startTimeoutMs?: number };

export type RunResult = ExitStatus & { stdout: string; stderr: string; durationMs: number };

const running = new Set<ChildProcess>();

/** Only PATH from the parent: TEST_DATABASE_URL, DATABASE_URL & co. must not leak into the service. */
function serviceEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
}

type Spawned = { child: ChildProcess; stdout: string[]; stderr: string[]; exited: Promise<ExitStatus> };

/** Spawns any command with the given (complete) environment and collects its output line by line. */
export function spawnCollecting(command: string, args: string[], env: Record<string, string>, cwd = REPO_ROOT): Spawned {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (stream: NodeJS.ReadableStream, lines: string[]): void => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
    });
    stream.on('end', () => {
      if (pending) lines.push(pending);
      pending = '';
    });
  };
  collect(child.stdout, stdout);
  collect(child.stderr, stderr);
  const exited = new Promise<ExitStatus>((resolveExit) => {
    // 'close' (not 'exit') so that all output has been read when it resolves.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal });
    });
    child.once('error', () => {
      running.delete(child);
      resolveExit({ code: null, signal: null });
    });
  });
  return { child, stdout, stderr, exited };
}

function timeout(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Waits for `exited`, SIGKILLing the process when it takes longer than `ms`. */
async function exitWithin(spawned: Spawned, ms: number): Promise<ExitStatus & { timedOut: boolean }> {
  const limit = timeout(ms);
  const outcome = await Promise.race([spawned.exited, limit.promise]);
  limit.cancel();
  if (outcome !== 'timeout') return { ...outcome, timedOut: false };
  spawned.child.kill('SIGKILL');
  return { ...(await spawned.exited), timedOut: true };
}

/** Starts the built service (`node dist/src/main.js`) and resolves once it logs its port. */
export async function startServiceProcess({ env, cwd = REPO_ROOT, startTimeoutMs = 30_000 }: StartOptions): Promise<ServiceProcess> {
  const spawned = spawnCollecting(process.execPath, [MAIN], serviceEnv(env), cwd);
  const { child, stdout, stderr, exited } = spawned;
  const logs = (): string => [...stdout, ...stderr].join('\n');

  const port = await new Promise<number>((resolvePort, reject) => {
    const deadline = Date.now() + startTimeoutMs;
    const poll = setInterval(() => {
      const line = stdout.find((candidate) => LISTENING.test(candidate));
      if (line) {
        clearInterval(poll);
        resolvePort(Number(LISTENING.exec(line)![1]));
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        clearInterval(poll);
        child.kill('SIGKILL');
        reject(new Error(`The service did not start within ${startTimeoutMs} ms (exit ${child.exitCode ?? child.signalCode}):\n${logs()}`));
      }
    }, 25);
  });

  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    pid: child.pid!,
    port,
    url,
    stdout,
    stderr,
    logs,
    exited,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
    waitForHealthy: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer';
      while (Date.now() < deadline) {
        const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
          .then(async (response) => `${response.status} ${await response.text()}`)
          .catch((error: unknown) => `error ${(error as Error).message}`);
        if (answer.startsWith('200 ')) return;
        last = answer;
        await new Promise((resolveSleep) => setTimeout(resolveSleep, 100));
      }
      throw new Error(`The service was not healthy within ${timeoutMs} ms (last: ${last}):\n${logs()}`);
    },
    stop: async (timeoutMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exitWithin(spawned, timeoutMs);
    },
  };
}

/** Runs the service expecting it to stop by itself (a failed start); SIGKILLs it after `timeoutMs`. */
export async function runToExit(env: Record<string, string>, timeoutMs: number, cwd = REPO_ROOT): Promise<RunResult & { timedOut: boolean }> {
  return runCommandToExit(process.execPath, [MAIN], serviceEnv(env), timeoutMs, cwd);
}

/** Runs any command with exactly the given environment until it exits (SIGKILL after `timeoutMs`). */
export async function runCommandToExit(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
  cwd = REPO_ROOT,
): Promise<RunResult & { timedOut: boolean }> {
  const started = Date.now();
  const spawned = spawnCollecting(command, args, env, cwd);
  const status = await exitWithin(spawned, timeoutMs);
  return { ...status, stdout: spawned.stdout.join('\n'), stderr: spawned.stderr.join('\n'), durationMs: Date.now() - started };
}

/** SIGKILLs every process these helpers started that is still running (for afterAll/afterEach). */
export async function killAllServiceProcesses(): Promise<void> {
  const leftovers = [...running];
  await Promise.all(
    leftovers.map(
      (child) =>
        new Promise<void>((resolveKill) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolveKill();
          child.once('close', () => resolveKill());
          child.kill('SIGKILL');
        }),
    ),
  );
}

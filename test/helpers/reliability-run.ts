import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { killAllServiceProcesses, ServiceProcess, startServiceProcess } from './service-process';

/**
 * Shared state of one reliability run: every spawned process's log, every secret used (e-mails,
 * phones, tokens) and each scenario's figures, in a directory the reporter creates and reads.
 */
export function runDirectory(): string {
  const dir = process.env.LEG_RELIABILITY_DIR ?? join(tmpdir(), 'leg-reliability-run');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  mkdirSync(join(dir, 'results'), { recursive: true });
  return dir;
}

export type ScenarioResult = {
  /** "1" … "8", the number of the scenario in issue 6. */
  id: string;
  scenario: string;
  done: string;
  checked: string;
  /** The figures, e.g. "acknowledged 412, found 412". */
  figures: string;
};

/** Writes a scenario's figures for the reporter (docs/RELIABILITY.md); `file` ties it to its test file's outcome. */
export function recordResult(file: string, result: ScenarioResult): void {
  writeFileSync(join(runDirectory(), 'results', `${result.id}.json`), JSON.stringify({ ...result, file: basename(file) }, null, 2));
}

/** Values that must never appear in any log line of the run (scenario 7 searches for them). */
export function recordSecrets(values: Iterable<string>): void {
  const lines = [...values].filter((value) => value.length >= 6).map((value) => `${value}\n`);
  if (lines.length > 0) appendFileSync(join(runDirectory(), 'secrets.txt'), lines.join(''));
}

export function recordedSecrets(): string[] {
  try {
    return [...new Set(readFileSync(join(runDirectory(), 'secrets.txt'), 'utf8').split('\n').filter(Boolean))];
  } catch {
    return [];
  }
}

/** Every captured log file of the run: name and content. */
export function capturedLogs(): { name: string; text: string }[] {
  const dir = join(runDirectory(), 'logs');
  return readdirSync(dir).map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

const captured = new Set<{ label: string; service: ServiceProcess }>();

function writeLog(label: string, service: ServiceProcess): void {
  writeFileSync(join(runDirectory(), 'logs', `${label}-${service.pid}.log`), service.logs());
}

/**
 * Starts the built service like `startServiceProcess`, at LOG_LEVEL=debug and on the offline address
 * directory (the demo gazetteer: no internet here, and the same answers every run) unless told
 * otherwise, and keeps its complete output for the log search of scenario 7 (written when it exits and on flush).
 */
export async function startLoggedService(label: string, env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startServiceProcess({ env: { LOG_LEVEL: 'debug', ADDRESS_DIRECTORY: 'offline', ...env } });
  const entry = { label, service };
  captured.add(entry);
  void service.exited.then(() => writeLog(label, service));
  return service;
}

/** Writes the logs of every process started in this test file so far (call in afterAll, after stopping them). */
export function flushLogs(): void {
  for (const { label, service } of captured) writeLog(label, service);
}

/**
 * The end of a scenario file: kill what is still running, keep every process's log for the log
 * search, then release what the file opened, in the order given (e.g. a connection before its database).
 */
export async function endScenario(...releases: (() => Promise<unknown> | undefined)[]): Promise<void> {
  await killAllServiceProcesses();
  flushLogs();
  for (const release of releases) await release();
}

/** A TypeORM DataSource without entities: for raw queries and the outbox helpers. */
export async function openDataSource(url: string): Promise<DataSource> {
  return new DataSource({ type: 'postgres', url, poolSize: 4 }).initialize();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** A Swiss mobile number unique enough for the log search: 078 plus 7 random digits. */
export function uniquePhone(): { raw: string; normalised: string } {
  const digits = String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0');
  return { raw: `078 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`, normalised: `+4178${digits}` };
}

/** The forms under which a phone could appear in a log line. */
export function phoneForms(phone: { raw: string; normalised: string }): string[] {
  return [phone.raw, phone.normalised, `0${phone.normalised.slice(3)}`];
}

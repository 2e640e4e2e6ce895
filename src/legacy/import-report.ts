import { IMPORT_KINDS, ImportProgress, ImportReport } from './legacy-import.service';

const MAX_PROBLEMS_SHOWN = 50;

export type ImportArgs = { db: string; tokens?: string; dryRun: boolean };

export const IMPORT_USAGE = `Usage: npm run import:legacy -- --db <database.json> [--tokens <tokens.json>] [--dry-run]

Imports the previous version's data into the configured database (DATABASE_URL, or the embedded one in DATA_DIR)
in one transaction. Running it again with the same files changes nothing. --dry-run validates and reports
without writing.
`;

/** Parses the command line; throws with a message for the user on mistakes. */
export function parseImportArgs(argv: string[]): ImportArgs {
  const args: Partial<ImportArgs> = { dryRun: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--db' || arg === '--tokens') {
      const value = argv[++index];
      if (!value || value.startsWith('--')) throw new Error(`${arg} needs a file name`);
      args[arg === '--db' ? 'db' : 'tokens'] = value;
    } else throw new Error(`Unknown argument: ${arg}`);
  }
  if (!args.db) throw new Error('--db <database.json> is required');
  return args as ImportArgs;
}

function pad(text: string | number, width: number, right = false): string {
  const value = String(text);
  return right ? value.padStart(width) : value.padEnd(width);
}

/** The summary table (and the reasons for skipped entries) as printed at the end of an import. */
export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  const header = ['kind', 'imported', 'updated', 'unchanged', 'skipped'];
  lines.push(`${pad(header[0], 22)}${header.slice(1).map((h) => pad(h, 11, true)).join('')}`);
  lines.push('-'.repeat(22 + 11 * 4));
  for (const kind of IMPORT_KINDS) {
    const c = report.counts[kind];
    lines.push(`${pad(kind, 22)}${[c.imported, c.updated, c.unchanged, c.skipped].map((n) => pad(n, 11, true)).join('')}`);
  }
  if (report.mergedIntoBuildings > 0) {
    lines.push(`${report.mergedIntoBuildings} interest_pool entries are also in buildings: imported once, as full registrations.`);
  }
  if (report.problems.length > 0) {
    lines.push('', `Skipped (${report.problems.length}):`);
    for (const problem of report.problems.slice(0, MAX_PROBLEMS_SHOWN)) lines.push(`  ${problem.kind} ${problem.key}: ${problem.reason}`);
    if (report.problems.length > MAX_PROBLEMS_SHOWN) lines.push(`  … and ${report.problems.length - MAX_PROBLEMS_SHOWN} more`);
  }
  lines.push(
    '',
    report.dryRun
      ? `Dry run: nothing was written (${report.durationMs} ms).`
      : report.changed
        ? `Import committed in ${report.durationMs} ms. Contact overviews for communities with newly confirmed members are ` +
          'queued by the service at its next start (or POST /api/admin/clusters/recompute); those already sent are not repeated.'
        : `Nothing to change: the database already holds this data (${report.durationMs} ms).`,
  );
  return lines.join('\n');
}

/** Plain progress lines (every 10 %) for logs and pipes. */
export function lineProgress(write: (line: string) => void): ImportProgress {
  let total = 0;
  let done = 0;
  let lastTenth = -1;
  return {
    start: (count) => {
      total = count;
      write(`Importing ${count} records…`);
    },
    advance: (count) => {
      done += count;
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth !== lastTenth && tenth > 0) {
        lastTenth = tenth;
        write(`  ${done}/${total} records (${tenth * 10} %)`);
      }
    },
    stop: () => undefined,
  };
}

import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { formatImportReport, IMPORT_USAGE, lineProgress, parseImportArgs } from '../legacy/import-report';
import { ImportProgress, LegacyImportService } from '../legacy/legacy-import.service';
import { limitHeapGrowth } from '../config/heap-growth';
import { runCli, withCliContext } from './cli-context';

/** npm run import:legacy -- --db <database.json> [--tokens <tokens.json>] [--dry-run] */

limitHeapGrowth();

function terminalProgress(): ImportProgress {
  const bar = new SingleBar({ format: 'Importing [{bar}] {percentage}% | {value}/{total} records | {eta}s left', stream: process.stderr }, Presets.shades_classic);
  return { start: (total) => bar.start(total, 0), advance: (count) => bar.increment(count), stop: () => bar.stop() };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseImportArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  return withCliContext(async (context) => {
    process.stderr.write(`Database: ${context.description}${args.dryRun ? ' (dry run)' : ''}\n`);
    const progress = process.stderr.isTTY ? terminalProgress() : lineProgress((line) => process.stderr.write(`${line}\n`));
    const report = await context.app.get(LegacyImportService).import({ db: args.db, tokens: args.tokens }, { dryRun: args.dryRun, progress });
    process.stdout.write(`${formatImportReport(report)}\n`);
    return 0;
  });
}

runCli('Import failed, nothing was written', main);

import 'reflect-metadata';
import { once } from 'node:events';
import { createWriteStream, renameSync } from 'node:fs';
import { LegacyExportService } from '../legacy/legacy-export.service';
import { runCli, withCliContext } from './cli-context';

/** npm run export:legacy -- <out.json>: all data in the previous version's database.json shape. */
async function main(): Promise<number> {
  const [out, ...rest] = process.argv.slice(2);
  if (!out || rest.length > 0 || out.startsWith('--')) {
    process.stderr.write('Usage: npm run export:legacy -- <out.json>\n');
    return 2;
  }
  return withCliContext(async (context) => {
    const partial = `${out}.partial`;
    const file = createWriteStream(partial, { mode: 0o600 });
    await context.app.get(LegacyExportService).export(async (chunk) => {
      if (!file.write(chunk)) await once(file, 'drain');
    });
    file.end();
    await once(file, 'finish');
    renameSync(partial, out);
    process.stderr.write(`Exported to ${out} (contains personal data: keep it safe)\n`);
    return 0;
  });
}

runCli('Export failed', main);

import { HttpException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { formatImportReport, lineProgress, parseImportArgs } from './import-report';
import { isLegacyJsonRoute, legacyErrorBody } from './legacy-error.filter';
import { IMPORT_KINDS, ImportReport } from './legacy-import.service';
import { toErrorBody } from '../common/http-error.filter';
import { Logger } from '@nestjs/common';

describe(parseImportArgs.name, () => {
  it('should read the files and the dry-run flag', () => {
    expect(parseImportArgs(['--db', 'a.json', '--tokens', 'b.json', '--dry-run'])).toEqual({ db: 'a.json', tokens: 'b.json', dryRun: true });
  });

  it.each([[[]], [['--db']], [['--db', 'a.json', '--what']]])('should refuse %p', (argv) => {
    expect(() => parseImportArgs(argv)).toThrow();
  });
});

describe(formatImportReport.name, () => {
  const report = (): ImportReport => ({
    dryRun: false,
    counts: Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, { imported: 0, updated: 0, unchanged: 5, skipped: 0 }])) as ImportReport['counts'],
    mergedIntoBuildings: 0,
    problems: [],
    changed: false,
    durationMs: 12,
  });

  it('should show a table and say when nothing changed', () => {
    const text = formatImportReport(report());
    expect(text).toMatch(/kind\s+imported\s+updated\s+unchanged\s+skipped/);
    expect(text).toMatch(/verification tokens\s+0\s+0\s+5\s+0/);
    expect(text).toContain('Nothing to change');
  });

  it('should list skipped entries with key and reason', () => {
    const text = formatImportReport({ ...report(), changed: true, problems: [{ kind: 'buildings', key: 'b1', reason: 'email must be a valid e-mail address' }] });
    expect(text).toContain('buildings b1: email must be a valid e-mail address');
    expect(text).toContain('Import committed');
  });
});

describe(lineProgress.name, () => {
  it('should print a line per tenth', () => {
    const lines: string[] = [];
    const progress = lineProgress((line) => lines.push(line));
    progress.start(20);
    for (let i = 0; i < 20; i++) progress.advance(1);
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toContain('20/20');
  });
});

describe(legacyErrorBody.name, () => {
  const status = (exception: HttpException) => toErrorBody(exception, new Logger('test')).statusCode;

  it('should keep the status codes and give German messages', () => {
    expect(legacyErrorBody(status(new ThrottlerException()))).toEqual({ error: expect.stringMatching(/^Zu viele Anfragen/) });
    expect(legacyErrorBody(status(new NotFoundException()))).toEqual({ error: expect.stringMatching(/^Adresse nicht gefunden/) });
    expect(legacyErrorBody(413)).toEqual({ error: 'Die Anfrage ist zu gross.' });
    expect(legacyErrorBody(400, 'email must be a valid e-mail address').error).toContain('email');
  });

  it('should know the old JSON routes only', () => {
    expect(isLegacyJsonRoute('/api/check_potential?x=1')).toBe(true);
    expect(isLegacyJsonRoute('/api/potential')).toBe(false);
  });
});

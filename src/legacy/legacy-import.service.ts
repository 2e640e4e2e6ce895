import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { RecordType } from '../building-records/building-record';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { RecomputationService } from '../communities/recomputation/recomputation.service';
import { durationToMs, Env } from '../config/env.validation';
import { TokensService } from '../tokens/tokens.service';
import { isPlainObject, isRecordSection, LegacyFileError, LegacyRecord, LegacyToken, parseLegacyRecord, RecordSection } from './legacy-format';
import { readLegacyFile } from './legacy-reader';
import { LegacyTokenCollector, TOKEN_SECTIONS } from './legacy-tokens';

export const IMPORT_KINDS = ['buildings', 'interest_pool', 'verification tokens', 'unsubscribe tokens', 'contact state'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type KindCounts = { imported: number; updated: number; unchanged: number; skipped: number };
export type ImportProblem = { kind: string; key: string; reason: string };

export type ImportReport = {
  dryRun: boolean;
  counts: Record<ImportKind, KindCounts>;
  /** Entries of interest_pool whose building is also in buildings: imported once, as a full registration. */
  mergedIntoBuildings: number;
  problems: ImportProblem[];
  changed: boolean;
  durationMs: number;
};

/** Progress of the record pass: the CLI shows a bar on a terminal and plain lines otherwise. */
export interface ImportProgress {
  start(total: number): void;
  advance(count: number): void;
  stop(): void;
}

export type ImportFiles = { db: string; tokens?: string };
export type ImportOptions = { dryRun?: boolean; progress?: ImportProgress; batchSize?: number };

const DEFAULT_BATCH = 1000;
const TOKEN_BATCH = 5000;
const TYPE_OF_SECTION: Record<RecordSection, RecordType> = { buildings: 'registered', interest_pool: 'anonymous' };

class DryRunRollback extends Error {}

function emptyCounts(): Record<ImportKind, KindCounts> {
  return Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, { imported: 0, updated: 0, unchanged: 0, skipped: 0 }])) as Record<ImportKind, KindCounts>;
}

/**
 * Imports the previous version's JSON files in one transaction: records validated like
 * registrations and written in batches (unchanged ones are left alone, so a second run changes
 * nothing), old tokens stored as hashes, and the communities recomputed with the old contact states
 * carried over. A dry run does all of it and rolls back.
 */
@Injectable()
export class LegacyImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly recomputation: RecomputationService,
    private readonly records: BuildingRecordsService,
    private readonly tokens: TokensService,
  ) {}

  async import(files: ImportFiles, options: ImportOptions = {}): Promise<ImportReport> {
    const started = Date.now();
    const now = new Date();
    const report: ImportReport = { dryRun: options.dryRun ?? false, counts: emptyCounts(), mergedIntoBuildings: 0, problems: [], changed: false, durationMs: 0 };
    const scan = await this.scan(files);
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.importFiles(manager, files, scan, report, now, options);
        // Not needed any more: the recomputation below should not carry it.
        scan.buildingIds.clear();
        await this.carryOverContactStates(manager, scan.contactStates, report);
        if (report.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    report.durationMs = Date.now() - started;
    return report;
  }

  /** First pass: the files' shape, the number of records, the ids of full registrations, the contact states. */
  private async scan(files: ImportFiles): Promise<{ recordCount: number; buildingIds: Set<string>; contactStates: string[][] }> {
    const buildingIds = new Set<string>();
    const contactStates: string[][] = [];
    let recordCount = 0;
    for (const [path, role] of this.filesOf(files)) {
      const seen = new Set<string>();
      for await (const entry of readLegacyFile(path)) {
        seen.add(entry.section);
        if (entry.kind === 'entry' && isRecordSection(entry.section)) {
          if (role === 'tokens') throw new LegacyFileError(`${path}: a token file has no "${entry.section}" section`);
          recordCount++;
          if (entry.section === 'buildings') buildingIds.add(entry.key);
          continue;
        }
        if (entry.kind === 'whole' && entry.section === 'cluster_contact_state') {
          if (!isPlainObject(entry.value)) throw new LegacyFileError(`${path}: "cluster_contact_state" must be an object`);
          for (const members of Object.values(entry.value)) {
            if (Array.isArray(members)) contactStates.push(members.filter((id): id is string => typeof id === 'string'));
          }
        }
      }
      const expected =
        role === 'db'
          ? ['buildings', 'interest_pool', 'verification_tokens', 'unsubscribe_tokens', 'token_hashes']
          : ['verification_tokens', 'unsubscribe_tokens', 'created_at', 'token_history'];
      if (!expected.some((section) => seen.has(section))) {
        throw new LegacyFileError(`${path} is not a ${role === 'db' ? 'database.json' : 'token store'} of the previous version: none of ${expected.join(', ')} found`);
      }
    }
    return { recordCount, buildingIds, contactStates };
  }

  private filesOf(files: ImportFiles): [string, 'db' | 'tokens'][] {
    return [[files.db, 'db'], ...(files.tokens ? [[files.tokens, 'tokens'] as [string, 'tokens']] : [])];
  }

  /** Records, then tokens; what the tokens needed is garbage once this returns, before the recomputation. */
  private async importFiles(
    manager: EntityManager,
    files: ImportFiles,
    scan: { recordCount: number; buildingIds: Set<string> },
    report: ImportReport,
    now: Date,
    options: ImportOptions,
  ): Promise<void> {
    options.progress?.start(scan.recordCount);
    let tokens: LegacyTokenCollector;
    try {
      tokens = await this.importRecords(manager, files, scan.buildingIds, report, now, options);
    } finally {
      options.progress?.stop();
    }
    await this.importTokens(manager, tokens, report, now);
  }

  /**
   * Second pass: records in batches, and the token entries of both files merged by hash (only a hash,
   * a building and a date each: the token store's created_at can come after the tokens it dates).
   */
  private async importRecords(
    manager: EntityManager,
    files: ImportFiles,
    buildingIds: Set<string>,
    report: ImportReport,
    now: Date,
    options: ImportOptions,
  ): Promise<LegacyTokenCollector> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const batches: Record<RecordSection, Map<string, LegacyRecord>> = { buildings: new Map(), interest_pool: new Map() };
    const tokens = new LegacyTokenCollector();
    const flush = async (section: RecordSection): Promise<void> => {
      const batch = batches[section];
      if (batch.size === 0) return;
      await this.writeBatch(manager, section, [...batch.values()], report, now);
      batch.clear();
    };
    for (const [path] of this.filesOf(files)) {
      for await (const entry of readLegacyFile(path)) {
        if (entry.kind !== 'entry') continue;
        if (TOKEN_SECTIONS.has(entry.section)) {
          tokens.add(entry.section, entry.key, entry.value, entry.group);
          continue;
        }
        if (!isRecordSection(entry.section)) continue;
        const section = entry.section;
        options.progress?.advance(1);
        if (section === 'interest_pool' && buildingIds.has(entry.key)) {
          report.mergedIntoBuildings++;
          continue;
        }
        const parsed = await parseLegacyRecord(entry.key, entry.value);
        if (!parsed.ok) {
          report.counts[section].skipped++;
          report.problems.push({ kind: section, key: entry.key, reason: parsed.reason });
          continue;
        }
        batches[section].set(parsed.record.buildingId, parsed.record);
        if (batches[section].size >= batchSize) await flush(section);
      }
    }
    await flush('buildings');
    await flush('interest_pool');
    return tokens;
  }

  private async writeBatch(manager: EntityManager, section: RecordSection, records: LegacyRecord[], report: ImportReport, now: Date): Promise<void> {
    const counts = await this.records.importBatch(manager, TYPE_OF_SECTION[section], records, now);
    report.counts[section].imported += counts.imported;
    report.counts[section].updated += counts.updated;
    report.counts[section].unchanged += counts.unchanged;
    if (counts.imported + counts.updated > 0) report.changed = true;
  }

  /**
   * Tokens whose building was imported (or already exists), by hash, in batches: new ones inserted,
   * a known unused one marked used when the file says so, everything else left alone.
   */
  private async importTokens(manager: EntityManager, collector: LegacyTokenCollector, report: ImportReport, now: Date): Promise<void> {
    for (const problem of collector.problems) {
      report.problems.push(problem);
      if (problem.kind !== 'token') report.counts[`${problem.kind} tokens`].skipped++;
    }
    const ttlMs = durationToMs(this.config.get('VERIFICATION_TOKEN_TTL', { infer: true }));
    let batch: LegacyToken[] = [];
    for (const token of collector.tokens(ttlMs, now)) {
      batch.push(token);
      if (batch.length < TOKEN_BATCH) continue;
      await this.importTokenBatch(manager, batch, report);
      batch = [];
    }
    await this.importTokenBatch(manager, batch, report);
  }

  private async importTokenBatch(manager: EntityManager, batch: LegacyToken[], report: ImportReport): Promise<void> {
    if (batch.length === 0) return;
    const known = await this.records.existingIds(manager, [...new Set(batch.map((token) => token.buildingId))]);
    const outcomes = await this.tokens.importByHash(manager, batch.filter((token) => known.has(token.buildingId)));
    for (const token of batch) {
      const counts = report.counts[`${token.kind} tokens`];
      const outcome = outcomes.get(token.hash);
      if (!outcome) {
        counts.skipped++;
        report.problems.push({ kind: `${token.kind} token`, key: token.hash.slice(0, 12), reason: `unknown building ${token.buildingId}` });
        continue;
      }
      counts[outcome]++;
      if (outcome !== 'unchanged') report.changed = true;
    }
  }

  /**
   * Recomputes the communities in this transaction and stores the old contact states on them,
   * without sending anything: the service's next recomputation (at its start, or on the next change)
   * queues overviews only for communities whose confirmed members differ from what was already told.
   * When no record changed, the stored communities and states are already the result of an earlier
   * identical import, and nothing is done.
   */
  private async carryOverContactStates(manager: EntityManager, oldStates: string[][], report: ImportReport): Promise<void> {
    const counts = report.counts['contact state'];
    const recordsChanged = IMPORT_KINDS.slice(0, 2).some((kind) => report.counts[kind].imported + report.counts[kind].updated > 0);
    if (!recordsChanged) {
      counts.unchanged += oldStates.length;
      return;
    }
    const outcome = await this.recomputation.recomputeInTransaction(manager, { seedContactStates: oldStates, notify: false });
    counts.imported += outcome.seeded;
    counts.skipped += outcome.unmatched;
    if (outcome.unmatched > 0) {
      report.problems.push({ kind: 'contact state', key: '-', reason: `${outcome.unmatched} old communities have no confirmed member in any new community` });
    }
  }
}

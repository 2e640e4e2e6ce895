import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { RecordType } from '../building-records/building-record';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { RecomputationService } from '../communities/recomputation/recomputation.service';
import { durationToMs, Env } from '../config/env.validation';
import { TokensService } from '../tokens/tokens.service';
import { isPlainObject, LegacyFileError, LegacyRecord, LegacyToken, parseLegacyRecord, RecordSection } from './legacy-format';
import { readLegacyFile } from './legacy-reader';
import { collectLegacyTokens, TokenSections } from './legacy-tokens';

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
    const { tokens, problems } = collectLegacyTokens(scan.tokenSections, durationToMs(this.config.get('VERIFICATION_TOKEN_TTL', { infer: true })), now);
    for (const problem of problems) {
      report.problems.push(problem);
      if (problem.kind !== 'token') report.counts[`${problem.kind} tokens`].skipped++;
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        options.progress?.start(scan.recordCount);
        try {
          await this.importRecords(manager, files.db, scan.buildingIds, report, now, options);
        } finally {
          options.progress?.stop();
        }
        await this.importTokens(manager, tokens, report);
        await this.carryOverContactStates(manager, scan.contactStates, report);
        if (report.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    report.durationMs = Date.now() - started;
    return report;
  }

  /** First pass: the file's shape, the ids of full registrations, the small sections. */
  private async scan(files: ImportFiles): Promise<{ recordCount: number; buildingIds: Set<string>; tokenSections: TokenSections; contactStates: string[][] }> {
    const buildingIds = new Set<string>();
    const tokenSections: TokenSections = {};
    const contactStates: string[][] = [];
    let recordCount = 0;
    for (const [path, role] of [[files.db, 'db'], ...(files.tokens ? [[files.tokens, 'tokens']] : [])] as [string, 'db' | 'tokens'][]) {
      const seen = new Set<string>();
      for await (const entry of readLegacyFile(path)) {
        seen.add(entry.section);
        if (entry.key !== null) {
          if (role === 'tokens') throw new LegacyFileError(`${path}: a token file has no "${entry.section}" section`);
          recordCount++;
          if (entry.section === 'buildings') buildingIds.add(entry.key);
          continue;
        }
        if (entry.section === 'cluster_contact_state') {
          if (!isPlainObject(entry.value)) throw new LegacyFileError(`${path}: "cluster_contact_state" must be an object`);
          for (const members of Object.values(entry.value)) {
            if (Array.isArray(members)) contactStates.push(members.filter((id): id is string => typeof id === 'string'));
          }
          continue;
        }
        if (entry.section in { verification_tokens: 1, unsubscribe_tokens: 1, created_at: 1, token_history: 1, token_hashes: 1 }) {
          if (!isPlainObject(entry.value)) throw new LegacyFileError(`${path}: "${entry.section}" must be an object`);
          const key = entry.section as keyof TokenSections;
          (tokenSections[key] ??= []).push(entry.value);
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
    return { recordCount, buildingIds, tokenSections, contactStates };
  }

  /** Second pass: records in batches. */
  private async importRecords(
    manager: EntityManager,
    path: string,
    buildingIds: Set<string>,
    report: ImportReport,
    now: Date,
    options: ImportOptions,
  ): Promise<void> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const batches: Record<RecordSection, Map<string, LegacyRecord>> = { buildings: new Map(), interest_pool: new Map() };
    const flush = async (section: RecordSection): Promise<void> => {
      const batch = batches[section];
      if (batch.size === 0) return;
      await this.writeBatch(manager, section, [...batch.values()], report, now);
      batch.clear();
    };
    for await (const entry of readLegacyFile(path)) {
      if (entry.key === null) continue;
      const section = entry.section as RecordSection;
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
    await flush('buildings');
    await flush('interest_pool');
  }

  private async writeBatch(manager: EntityManager, section: RecordSection, records: LegacyRecord[], report: ImportReport, now: Date): Promise<void> {
    const counts = await this.records.importBatch(manager, TYPE_OF_SECTION[section], records, now);
    report.counts[section].imported += counts.imported;
    report.counts[section].updated += counts.updated;
    report.counts[section].unchanged += counts.unchanged;
    if (counts.imported + counts.updated > 0) report.changed = true;
  }

  /**
   * Tokens whose building was imported (or already exists), by hash: new ones inserted, a known
   * unused one marked used when the file says so, everything else left alone.
   */
  private async importTokens(manager: EntityManager, tokens: LegacyToken[], report: ImportReport): Promise<void> {
    for (let start = 0; start < tokens.length; start += TOKEN_BATCH) {
      const batch = tokens.slice(start, start + TOKEN_BATCH);
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

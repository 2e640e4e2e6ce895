import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { RecomputationService } from '../clusters/recomputation.service';
import { durationToMs, Env } from '../config/env.validation';
import { canonicalJson, isPlainObject, LegacyFileError, LegacyRecord, LegacyToken, parseLegacyRecord, RecordSection } from './legacy-format';
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
const COLUMNS =
  'building_id, email, phone, address, plz, lat, lon, building_type, annual_consumption_kwh, potential_pv_kwp, profile, verified, verified_at, registered_at';

type StoredRow = {
  tbl: RecordSection;
  building_id: string;
  email: string;
  phone: string | null;
  address: string | null;
  plz: number | null;
  lat: number;
  lon: number;
  building_type: string | null;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
  profile: unknown;
  verified: boolean;
  verified_at: Date | null;
  registered_at: Date;
};

class DryRunRollback extends Error {}

const time = (date: Date | null): number | null => (date ? date.getTime() : null);

function sameRecord(record: LegacyRecord, row: StoredRow): boolean {
  return (
    record.email === row.email &&
    record.phone === row.phone &&
    record.address === row.address &&
    record.plz === row.plz &&
    record.lat === row.lat &&
    record.lon === row.lon &&
    record.buildingType === row.building_type &&
    record.annualConsumptionKwh === row.annual_consumption_kwh &&
    record.potentialPvKwp === row.potential_pv_kwp &&
    record.verified === row.verified &&
    time(record.verifiedAt) === time(row.verified_at) &&
    time(record.registeredAt) === time(row.registered_at) &&
    canonicalJson(record.profile) === canonicalJson(row.profile)
  );
}

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
    const ids = records.map((record) => record.buildingId);
    const rows = await manager.query<StoredRow[]>(
      `SELECT 'buildings' AS tbl, ${COLUMNS} FROM buildings WHERE building_id = ANY($1::varchar[])
       UNION ALL SELECT 'interest_pool' AS tbl, ${COLUMNS} FROM interest_pool WHERE building_id = ANY($1::varchar[])`,
      [ids],
    );
    const existing = new Map(rows.map((row) => [`${row.tbl}:${row.building_id}`, row]));
    const other: RecordSection = section === 'buildings' ? 'interest_pool' : 'buildings';
    const toWrite: LegacyRecord[] = [];
    const toMove: string[] = [];
    for (const given of records) {
      const stored = existing.get(`${section}:${given.buildingId}`);
      const elsewhere = existing.get(`${other}:${given.buildingId}`);
      const registeredAt = given.registeredAt ?? stored?.registered_at ?? elsewhere?.registered_at ?? now;
      const record: LegacyRecord = { ...given, registeredAt, verifiedAt: given.verified ? (given.verifiedAt ?? registeredAt) : null };
      if (stored && sameRecord(record, stored)) {
        report.counts[section].unchanged++;
        continue;
      }
      report.counts[section][stored || elsewhere ? 'updated' : 'imported']++;
      if (elsewhere) toMove.push(record.buildingId);
      toWrite.push(record);
    }
    if (toMove.length > 0) await manager.query(`DELETE FROM ${other} WHERE building_id = ANY($1::varchar[])`, [toMove]);
    if (toWrite.length === 0) return;
    report.changed = true;
    await manager.query(
      `INSERT INTO ${section} (${COLUMNS})
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::float8[], $7::float8[],
                            $8::varchar[], $9::float8[], $10::float8[], $11::jsonb[], $12::boolean[], $13::timestamptz[], $14::timestamptz[])
       ON CONFLICT (building_id) DO UPDATE SET
         email = EXCLUDED.email, phone = EXCLUDED.phone, address = EXCLUDED.address, plz = EXCLUDED.plz, lat = EXCLUDED.lat,
         lon = EXCLUDED.lon, building_type = EXCLUDED.building_type, annual_consumption_kwh = EXCLUDED.annual_consumption_kwh,
         potential_pv_kwp = EXCLUDED.potential_pv_kwp, profile = EXCLUDED.profile, verified = EXCLUDED.verified,
         verified_at = EXCLUDED.verified_at, registered_at = EXCLUDED.registered_at, updated_at = now()`,
      [
        toWrite.map((r) => r.buildingId),
        toWrite.map((r) => r.email),
        toWrite.map((r) => r.phone),
        toWrite.map((r) => r.address),
        toWrite.map((r) => r.plz),
        toWrite.map((r) => r.lat),
        toWrite.map((r) => r.lon),
        toWrite.map((r) => r.buildingType),
        toWrite.map((r) => r.annualConsumptionKwh),
        toWrite.map((r) => r.potentialPvKwp),
        toWrite.map((r) => JSON.stringify(r.profile)),
        toWrite.map((r) => r.verified),
        toWrite.map((r) => r.verifiedAt?.toISOString() ?? null),
        toWrite.map((r) => r.registeredAt?.toISOString() ?? null),
      ],
    );
  }

  /**
   * Tokens whose building was imported (or already exists), by hash: new ones inserted, a known
   * unused one marked used when the file says so, everything else left alone.
   */
  private async importTokens(manager: EntityManager, tokens: LegacyToken[], report: ImportReport): Promise<void> {
    for (let start = 0; start < tokens.length; start += TOKEN_BATCH) {
      const batch = tokens.slice(start, start + TOKEN_BATCH);
      const rows = await manager.query<{ token_hash: string; kind: 'verification' | 'unsubscribe'; building_id: string; known: boolean; inserted: boolean | null }[]>(
        `WITH input AS (
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
             AS u(token_hash, kind, building_id, created_at, expires_at, used_at)
         ), known AS (
           SELECT i.* FROM input i
           WHERE EXISTS (SELECT 1 FROM buildings b WHERE b.building_id = i.building_id)
              OR EXISTS (SELECT 1 FROM interest_pool p WHERE p.building_id = i.building_id)
         ), written AS (
           INSERT INTO tokens (token_hash, kind, building_id, created_at, expires_at, used_at)
           SELECT token_hash, kind, building_id, coalesce(created_at, now()), expires_at, used_at FROM known
           ON CONFLICT (token_hash) DO UPDATE SET used_at = EXCLUDED.used_at
             WHERE tokens.used_at IS NULL AND EXCLUDED.used_at IS NOT NULL AND tokens.building_id = EXCLUDED.building_id
           RETURNING token_hash, (xmax = 0) AS inserted
         )
         SELECT i.token_hash, i.kind, i.building_id, k.token_hash IS NOT NULL AS known, w.inserted
         FROM input i LEFT JOIN known k ON k.token_hash = i.token_hash LEFT JOIN written w ON w.token_hash = i.token_hash`,
        [
          batch.map((t) => t.hash),
          batch.map((t) => t.kind),
          batch.map((t) => t.buildingId),
          batch.map((t) => t.createdAt?.toISOString() ?? null),
          batch.map((t) => t.expiresAt?.toISOString() ?? null),
          batch.map((t) => t.usedAt?.toISOString() ?? null),
        ],
      );
      for (const row of rows) {
        const counts = report.counts[`${row.kind} tokens`];
        if (!row.known) {
          counts.skipped++;
          report.problems.push({ kind: `${row.kind} token`, key: row.token_hash.slice(0, 12), reason: `unknown building ${row.building_id}` });
        } else if (row.inserted === null) {
          counts.unchanged++;
        } else {
          counts[row.inserted ? 'imported' : 'updated']++;
          report.changed = true;
        }
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

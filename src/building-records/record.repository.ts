import { EntityManager, EntityTarget } from 'typeorm';
import { mailboxSql } from '../common/mailbox';
import { affectedCount } from '../database/query-result';
import { runTogether, StatementPart } from '../database/statement-parts';
import { BuildingRecord, BuildingRecordFields, RECORD_COLUMNS, RECORD_FIELDS, StoredRecord } from './building-record';

/** What a registration writes; the bookkeeping fields default to "new and unconfirmed". */
export type RecordInput = Omit<BuildingRecordFields, 'verified' | 'verifiedAt' | 'registeredAt'> &
  Partial<Pick<BuildingRecordFields, 'verified' | 'verifiedAt' | 'registeredAt'>>;

/** The few columns the community engine and the public map need of a confirmed record, without the personal data. */
export type CommunityInputRow = {
  building_id: string;
  lat: number;
  lon: number;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
  verified_at: Date;
};

const COMMUNITY_INPUT = 'building_id, lat, lon, annual_consumption_kwh, potential_pv_kwp, verified_at';

export type BoundingBox = { minLat: number; maxLat: number; minLon: number; maxLon: number };

export type RecordPageQuery = { page: number; limit: number; verified?: boolean; email?: string };

const column = (field: keyof BuildingRecordFields): string => RECORD_COLUMNS[field].column;

/** Every field under its own name, so that rows come back as StoredRecord objects. */
const SELECT_RECORD = [...RECORD_FIELDS.map((field) => `${column(field)} AS "${field}"`), 'updated_at AS "updatedAt"'].join(', ');
const INSERT_COLUMNS = RECORD_FIELDS.map(column).join(', ');
const UPDATE_ON_CONFLICT = [
  ...RECORD_FIELDS.filter((field) => field !== 'buildingId').map((field) => `${column(field)} = EXCLUDED.${column(field)}`),
  'updated_at = now()',
].join(', ');
const VALUE_PLACEHOLDERS = RECORD_FIELDS.map((field, index) => `$${index + 1}::${RECORD_COLUMNS[field].sqlType}`).join(', ');
const UNNEST_PLACEHOLDERS = RECORD_FIELDS.map((field, index) => `$${index + 1}::${RECORD_COLUMNS[field].sqlType}[]`).join(', ');

function parameterOf(record: BuildingRecordFields, field: keyof BuildingRecordFields): unknown {
  const value = record[field];
  if (field === 'profile') return JSON.stringify(value);
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Persistence for one of the two tables of building records (full registrations and the interest
 * pool), in constant SQL built from RECORD_COLUMNS. Every method takes the caller's EntityManager
 * so that it joins the caller's transaction. Only BuildingRecordsService uses it.
 */
export class RecordRepository {
  private tableName?: string;

  constructor(private readonly entity: EntityTarget<BuildingRecord>) {}

  private table(manager: EntityManager): string {
    this.tableName ??= manager.connection.getMetadata(this.entity).tableName;
    return this.tableName;
  }

  /**
   * The record in this table or else in `other`, in one round trip (a registration and a confirmation
   * look a building up in both tables); `here` says which table held it.
   */
  async findByIdHereOr(manager: EntityManager, other: RecordRepository, buildingId: string): Promise<{ here: boolean; record: StoredRecord } | null> {
    const rows = await manager.query<(StoredRecord & { here: boolean })[]>(
      `SELECT true AS here, ${SELECT_RECORD} FROM ${this.table(manager)} WHERE building_id = $1
       UNION ALL SELECT false AS here, ${SELECT_RECORD} FROM ${other.table(manager)} WHERE building_id = $1`,
      [buildingId],
    );
    const found = rows.find((row) => row.here) ?? rows[0];
    if (!found) return null;
    const { here, ...record } = found;
    return { here, record };
  }

  findByIds(manager: EntityManager, buildingIds: string[]): Promise<StoredRecord[]> {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return manager.query<StoredRecord[]>(`SELECT ${SELECT_RECORD} FROM ${this.table(manager)} WHERE building_id = ANY($1::varchar[])`, [buildingIds]);
  }

  /** Only the e-mail addresses of the given records, by id: what queueing mail to them needs. */
  async emailsByIds(manager: EntityManager, buildingIds: readonly string[]): Promise<Map<string, string>> {
    if (buildingIds.length === 0) return new Map();
    const rows = await manager.query<{ building_id: string; email: string }[]>(
      `SELECT building_id, email FROM ${this.table(manager)} WHERE building_id = ANY($1::varchar[])`,
      [buildingIds],
    );
    return new Map(rows.map((row) => [row.building_id, row.email]));
  }

  findByEmail(manager: EntityManager, email: string): Promise<StoredRecord[]> {
    return manager.query<StoredRecord[]>(`SELECT ${SELECT_RECORD} FROM ${this.table(manager)} WHERE email = $1`, [email]);
  }

  /**
   * Who holds the building, in this table or else in `other` (as findByIdHereOr, reduced to what a
   * registration decides by), as a part of a combined statement: `here` says which table held it.
   */
  holderPartHereOr(manager: EntityManager, other: RecordRepository, buildingId: string): StatementPart<{ here: boolean; verified: boolean; email: string } | null> {
    return {
      sql: `SELECT true AS here, verified, email FROM ${this.table(manager)} WHERE building_id = $1
            UNION ALL SELECT false AS here, verified, email FROM ${other.table(manager)} WHERE building_id = $1`,
      parameters: [buildingId],
      read: (rows) => {
        const found = (rows.find((row) => row.here) ?? rows[0]) as { here: boolean; verified: boolean; email: string } | undefined;
        return found ?? null;
      },
    };
  }

  /**
   * How many records this mailbox (see mailboxOf) holds in this table and the others, the given
   * building left out, as a part of a combined statement (it is on the registration path).
   */
  mailboxCountPartHereAnd(manager: EntityManager, others: RecordRepository[], mailbox: string, exceptBuildingId: string): StatementPart<number> {
    const counts = [this, ...others].map((repository) => `(SELECT count(*) FROM ${repository.table(manager)} WHERE ${mailboxSql('email')} = $1 AND building_id <> $2)`);
    return {
      sql: `SELECT (${counts.join(' + ')})::int AS count`,
      parameters: [mailbox, exceptBuildingId],
      read: (rows) => rows[0].count as number,
    };
  }

  /** Ids of unconfirmed records registered before the cutoff, oldest first. */
  async unconfirmedBefore(manager: EntityManager, cutoff: Date, limit: number): Promise<string[]> {
    const rows = await manager.query<{ building_id: string }[]>(
      `SELECT building_id FROM ${this.table(manager)} WHERE verified = false AND registered_at < $1 ORDER BY registered_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((row) => row.building_id);
  }

  /** Ids among the given ones that this table holds. */
  async existingIds(manager: EntityManager, buildingIds: string[]): Promise<string[]> {
    if (buildingIds.length === 0) return [];
    const rows = await manager.query<{ building_id: string }[]>(
      `SELECT building_id FROM ${this.table(manager)} WHERE building_id = ANY($1::varchar[])`,
      [buildingIds],
    );
    return rows.map((row) => row.building_id);
  }

  /** Every confirmed record, as plain rows: 100 000 of them are read in one round trip. */
  findConfirmedForCommunities(manager: EntityManager): Promise<CommunityInputRow[]> {
    return manager.query<CommunityInputRow[]>(`SELECT ${COMMUNITY_INPUT} FROM ${this.table(manager)} WHERE verified`);
  }

  /** The confirmed records among the given ids, as the engine reads them. */
  findConfirmedByIds(manager: EntityManager, buildingIds: readonly string[]): Promise<CommunityInputRow[]> {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return manager.query<CommunityInputRow[]>(`SELECT ${COMMUNITY_INPUT} FROM ${this.table(manager)} WHERE verified AND building_id = ANY($1::varchar[])`, [
      buildingIds,
    ]);
  }

  /** Records inside a bounding box (the caller filters by exact distance). */
  findInBox(manager: EntityManager, box: BoundingBox): Promise<StoredRecord[]> {
    return manager.query<StoredRecord[]>(
      `SELECT ${SELECT_RECORD} FROM ${this.table(manager)} WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4`,
      [box.minLat, box.maxLat, box.minLon, box.maxLon],
    );
  }

  /** One page of records, newest registration first, with the total matching the filter. */
  async findPage(manager: EntityManager, query: RecordPageQuery): Promise<[StoredRecord[], number]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (query.verified !== undefined) conditions.push(`verified = $${parameters.push(query.verified)}`);
    if (query.email !== undefined) conditions.push(`email = $${parameters.push(query.email)}`);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const table = this.table(manager);
    const [{ total }] = await manager.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM ${table} ${where}`, parameters);
    const records = await manager.query<StoredRecord[]>(
      `SELECT ${SELECT_RECORD} FROM ${table} ${where}
       ORDER BY registered_at DESC, building_id ASC
       LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, query.limit, (query.page - 1) * query.limit],
    );
    return [records, total];
  }

  /** Records after the given id in id order: keyset pages for the export. */
  findPageAfter(manager: EntityManager, afterId: string | null, limit: number): Promise<StoredRecord[]> {
    return manager.query<StoredRecord[]>(
      `SELECT ${SELECT_RECORD} FROM ${this.table(manager)} WHERE $1::varchar IS NULL OR building_id > $1 ORDER BY building_id LIMIT $2`,
      [afterId, limit],
    );
  }

  async counts(manager: EntityManager): Promise<{ total: number; verified: number }> {
    const [row] = await manager.query<{ total: number; verified: number }[]>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE verified)::int AS verified FROM ${this.table(manager)}`,
    );
    return row;
  }

  /**
   * Inserts or replaces the record, taking the building out of `other` in the same statement (a record
   * lives in one table only); a replaced record is unconfirmed again unless told otherwise.
   */
  async saveMovingFrom(manager: EntityManager, other: RecordRepository, input: RecordInput): Promise<void> {
    await runTogether(manager, { saved: this.savePartMovingFrom(manager, other, input) });
  }

  /** saveMovingFrom as a part of a combined statement (runTogether). */
  savePartMovingFrom(manager: EntityManager, other: RecordRepository, input: RecordInput): StatementPart<void> {
    const record: BuildingRecordFields = { verified: false, verifiedAt: null, registeredAt: new Date(), ...input };
    return {
      effects: [`DELETE FROM ${other.table(manager)} WHERE building_id = $1`],
      sql: `INSERT INTO ${this.table(manager)} (${INSERT_COLUMNS}) VALUES (${VALUE_PLACEHOLDERS})
            ON CONFLICT (building_id) DO UPDATE SET ${UPDATE_ON_CONFLICT} RETURNING building_id`,
      parameters: RECORD_FIELDS.map((field) => parameterOf(record, field)),
      read: () => undefined,
    };
  }

  /** The batched form of save for many records at once (one statement, arrays instead of rows). */
  async saveMany(manager: EntityManager, records: BuildingRecordFields[]): Promise<void> {
    if (records.length === 0) return;
    await manager.query(
      `INSERT INTO ${this.table(manager)} (${INSERT_COLUMNS}) SELECT * FROM unnest(${UNNEST_PLACEHOLDERS})
       ON CONFLICT (building_id) DO UPDATE SET ${UPDATE_ON_CONFLICT}`,
      RECORD_FIELDS.map((field) => records.map((record) => parameterOf(record, field))),
    );
  }

  async remove(manager: EntityManager, buildingId: string): Promise<boolean> {
    const result: unknown = await manager.query(`DELETE FROM ${this.table(manager)} WHERE building_id = $1`, [buildingId]);
    return affectedCount(result) > 0;
  }

  async removeMany(manager: EntityManager, buildingIds: string[]): Promise<void> {
    if (buildingIds.length === 0) return;
    await manager.query(`DELETE FROM ${this.table(manager)} WHERE building_id = ANY($1::varchar[])`, [buildingIds]);
  }

  /** Marks the record confirmed; returns false when it was already confirmed or does not exist. */
  async markVerified(manager: EntityManager, buildingId: string, at: Date): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE ${this.table(manager)} SET verified = true, verified_at = $2, updated_at = now() WHERE building_id = $1 AND verified = false`,
      [buildingId, at],
    );
    return affectedCount(result) > 0;
  }
}

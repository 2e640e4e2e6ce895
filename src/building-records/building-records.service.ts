import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StatementPart } from '../database/statement-parts';
import { BuildingRecordFields, RecordType, StoredRecord } from './building-record';
import { BuildingsRepository } from './buildings/buildings.repository';
import { InterestPoolRepository } from './interest-pool/interest-pool.repository';
import { sameRecordContent } from './record-content';
import { BoundingBox, CommunityInputRow, RecordInput, RecordPageQuery, RecordRepository } from './record.repository';

export type FoundRecord = { type: RecordType; record: StoredRecord };

/** Who holds a building: what a registration decides by. */
export type RecordHolder = { type: RecordType; verified: boolean; email: string };

/** A record as the community engine and the public map read it: no personal data, plus its table. */
export type SourceRecord = CommunityInputRow & { type: RecordType };

/** A record from the previous version's files: its registration date may be unknown. */
export type ImportedRecord = Omit<BuildingRecordFields, 'registeredAt'> & { registeredAt: Date | null };

export type ImportCounts = { imported: number; updated: number; unchanged: number };

export type RecordCounts = Record<RecordType, { total: number; verified: number }>;

/**
 * The one place for the rule that a building lives in exactly one of the two record tables
 * (full registrations or the interest pool): finding it in either, moving it between them, reading
 * both for the community engine and the map, finding records by e-mail across both. Every method
 * takes the caller's EntityManager so that it joins the caller's transaction.
 */
@Injectable()
export class BuildingRecordsService {
  constructor(
    private readonly buildings: BuildingsRepository,
    private readonly interestPool: InterestPoolRepository,
  ) {}

  private tableOf(type: RecordType): RecordRepository {
    return type === 'registered' ? this.buildings : this.interestPool;
  }

  private otherTable(type: RecordType): RecordRepository {
    return type === 'registered' ? this.interestPool : this.buildings;
  }

  async find(manager: EntityManager, buildingId: string): Promise<FoundRecord | null> {
    const found = await this.buildings.findByIdHereOr(manager, this.interestPool, buildingId);
    if (!found) return null;
    return { type: found.here ? 'registered' : 'anonymous', record: found.record };
  }

  async findByEmail(manager: EntityManager, email: string): Promise<FoundRecord[]> {
    const [buildings, entries] = await Promise.all([this.buildings.findByEmail(manager, email), this.interestPool.findByEmail(manager, email)]);
    return [
      ...buildings.map((record): FoundRecord => ({ type: 'registered', record })),
      ...entries.map((record): FoundRecord => ({ type: 'anonymous', record })),
    ];
  }

  /** Full registrations by id (the contact notifications pass contact details only between them). */
  findRegistered(manager: EntityManager, buildingIds: string[]): Promise<StoredRecord[]> {
    return this.buildings.findByIds(manager, buildingIds);
  }

  /** The e-mail addresses of full registrations by id, without the rest of their records. */
  registeredEmails(manager: EntityManager, buildingIds: readonly string[]): Promise<Map<string, string>> {
    return this.buildings.emailsByIds(manager, buildingIds);
  }

  findRegisteredInBox(manager: EntityManager, box: BoundingBox): Promise<StoredRecord[]> {
    return this.buildings.findInBox(manager, box);
  }

  /** Records of both tables inside a bounding box (the caller filters by exact distance). */
  async findInBox(manager: EntityManager, box: BoundingBox): Promise<FoundRecord[]> {
    const buildings = await this.buildings.findInBox(manager, box);
    const entries = await this.interestPool.findInBox(manager, box);
    return [
      ...buildings.map((record): FoundRecord => ({ type: 'registered', record })),
      ...entries.map((record): FoundRecord => ({ type: 'anonymous', record })),
    ];
  }

  /**
   * Every confirmed record of both tables: unconfirmed ones appear on no map and in no community.
   * Call it in a REPEATABLE READ transaction so that both tables are read from one snapshot.
   */
  async readConfirmedForCommunities(manager: EntityManager): Promise<SourceRecord[]> {
    const registered = await this.buildings.findConfirmedForCommunities(manager);
    const anonymous = await this.interestPool.findConfirmedForCommunities(manager);
    return sourceRecords(registered, anonymous);
  }

  /** The confirmed records among the given ids, from both tables (an id in neither, or unconfirmed, is absent). */
  async findConfirmedForCommunities(manager: EntityManager, buildingIds: readonly string[]): Promise<SourceRecord[]> {
    const registered = await this.buildings.findConfirmedByIds(manager, buildingIds);
    const anonymous = await this.interestPool.findConfirmedByIds(manager, buildingIds);
    return sourceRecords(registered, anonymous);
  }

  /** Stores the record in the table of the owner's choice, taking it out of the other one. */
  async save(manager: EntityManager, type: RecordType, input: RecordInput): Promise<void> {
    await this.tableOf(type).saveMovingFrom(manager, this.otherTable(type), input);
  }

  /** save() as a part of a combined statement (runTogether). */
  savePart(manager: EntityManager, type: RecordType, input: RecordInput): StatementPart<void> {
    return this.tableOf(type).savePartMovingFrom(manager, this.otherTable(type), input);
  }

  markVerified(manager: EntityManager, found: FoundRecord, at: Date): Promise<boolean> {
    return this.tableOf(found.type).markVerified(manager, found.record.buildingId, at);
  }

  /** Removes the building from both tables; true when there was something to remove. */
  async remove(manager: EntityManager, buildingId: string): Promise<boolean> {
    const removedBuilding = await this.buildings.remove(manager, buildingId);
    const removedEntry = await this.interestPool.remove(manager, buildingId);
    return removedBuilding || removedEntry;
  }

  page(manager: EntityManager, type: RecordType, query: RecordPageQuery): Promise<[StoredRecord[], number]> {
    return this.tableOf(type).findPage(manager, query);
  }

  async counts(manager: EntityManager): Promise<RecordCounts> {
    return { registered: await this.buildings.counts(manager), anonymous: await this.interestPool.counts(manager) };
  }

  /** Who holds the building and in which table (find, reduced), as a part of a combined statement (runTogether). */
  holderPart(manager: EntityManager, buildingId: string): StatementPart<RecordHolder | null> {
    const part = this.buildings.holderPartHereOr(manager, this.interestPool, buildingId);
    return {
      ...part,
      read: (rows) => {
        const found = part.read(rows);
        return found && { type: found.here ? 'registered' : 'anonymous', verified: found.verified, email: found.email };
      },
    };
  }

  /** How many registrations a mailbox (lower-cased address) holds in both tables, the given building left out, as a part of a combined statement. */
  mailboxCountPart(manager: EntityManager, mailbox: string, exceptBuildingId: string): StatementPart<number> {
    return this.buildings.mailboxCountPartHereAnd(manager, [this.interestPool], mailbox, exceptBuildingId);
  }

  /** Unconfirmed records of both tables registered before the cutoff (at most `limit` of each). */
  async unconfirmedBefore(manager: EntityManager, cutoff: Date, limit: number): Promise<string[]> {
    return [...(await this.buildings.unconfirmedBefore(manager, cutoff, limit)), ...(await this.interestPool.unconfirmedBefore(manager, cutoff, limit))];
  }

  /** The ids among the given ones that either table holds. */
  async existingIds(manager: EntityManager, buildingIds: string[]): Promise<Set<string>> {
    const registered = await this.buildings.existingIds(manager, buildingIds);
    const anonymous = await this.interestPool.existingIds(manager, buildingIds);
    return new Set([...registered, ...anonymous]);
  }

  /**
   * Writes a batch of imported records into the table of the given type in two statements: records
   * equal to the stored ones are left alone (so importing twice changes nothing), a record found in
   * the other table moves, an unknown registration date keeps the stored one (or becomes `now`).
   */
  async importBatch(manager: EntityManager, type: RecordType, records: ImportedRecord[], now: Date): Promise<ImportCounts> {
    const ids = records.map((record) => record.buildingId);
    const target = this.tableOf(type);
    const other = this.otherTable(type);
    const stored = new Map((await target.findByIds(manager, ids)).map((record) => [record.buildingId, record]));
    const elsewhere = new Map((await other.findByIds(manager, ids)).map((record) => [record.buildingId, record]));
    const counts: ImportCounts = { imported: 0, updated: 0, unchanged: 0 };
    const toWrite: BuildingRecordFields[] = [];
    const toMove: string[] = [];
    for (const given of records) {
      const current = stored.get(given.buildingId);
      const moving = elsewhere.get(given.buildingId);
      const registeredAt = given.registeredAt ?? current?.registeredAt ?? moving?.registeredAt ?? now;
      const record: BuildingRecordFields = { ...given, registeredAt, verifiedAt: given.verified ? (given.verifiedAt ?? registeredAt) : null };
      if (current && sameRecordContent(record, current)) {
        counts.unchanged++;
        continue;
      }
      counts[current || moving ? 'updated' : 'imported']++;
      if (moving) toMove.push(record.buildingId);
      toWrite.push(record);
    }
    await other.removeMany(manager, toMove);
    await target.saveMany(manager, toWrite);
    return counts;
  }

  /** Every record of one table in id order, a page at a time (for the export: never all in memory). */
  async *pagesOf(manager: EntityManager, type: RecordType, pageSize: number): AsyncGenerator<StoredRecord[]> {
    let after: string | null = null;
    for (;;) {
      const page = await this.tableOf(type).findPageAfter(manager, after, pageSize);
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].buildingId;
    }
  }
}

/**
 * The rows of both tables as source records, each labelled with its table in place: a full pass
 * reads a country's confirmed records, and a labelled copy of each would double them in memory.
 */
function sourceRecords(registered: CommunityInputRow[], anonymous: CommunityInputRow[]): SourceRecord[] {
  const label = (rows: CommunityInputRow[], type: RecordType): SourceRecord[] => {
    for (const row of rows) (row as SourceRecord).type = type;
    return rows as SourceRecord[];
  };
  return label(registered, 'registered').concat(label(anonymous, 'anonymous'));
}

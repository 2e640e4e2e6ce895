import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BuildingRecordsService, SourceRecord } from '../../building-records/building-records.service';

/** All records of both tables, as the community engine and the public map read them. */
@Injectable()
export class CommunitySource {
  constructor(private readonly records: BuildingRecordsService) {}

  /** Changes whenever a record of either table is added, changed or removed. */
  fingerprint(manager: EntityManager): Promise<string> {
    return this.records.fingerprint(manager);
  }

  /** Every confirmed record; call it in a REPEATABLE READ transaction so that both tables are read from one snapshot. */
  readAll(manager: EntityManager): Promise<SourceRecord[]> {
    return this.records.readConfirmedForCommunities(manager);
  }
}

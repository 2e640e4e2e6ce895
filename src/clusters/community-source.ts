import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BuildingsService } from '../buildings/buildings.service';
import { InterestPoolService } from '../interest-pool/interest-pool.service';
import { EngineBuilding } from './engine/communities';

export type RecordType = 'registered' | 'anonymous';

/** A record as the engine sees it, with what notifications and the map need on top. */
export type SourceBuilding = EngineBuilding & { verified: boolean; type: RecordType };

/** All records of both tables, as the community engine and the public map read them. */
@Injectable()
export class CommunitySource {
  constructor(
    private readonly buildings: BuildingsService,
    private readonly interestPool: InterestPoolService,
  ) {}

  /** Changes whenever a record of either table is added, changed or removed. */
  async fingerprint(manager: EntityManager): Promise<string> {
    return `${await this.buildings.fingerprint(manager)}|${await this.interestPool.fingerprint(manager)}`;
  }

  /** Every record; call it in a REPEATABLE READ transaction so that both tables are read from one snapshot. */
  async readAll(manager: EntityManager): Promise<SourceBuilding[]> {
    const registered = await this.buildings.findAllForClustering(manager);
    const anonymous = await this.interestPool.findAllForClustering(manager);
    return [
      ...registered.map((row): SourceBuilding => ({ ...row, type: 'registered' })),
      ...anonymous.map((row): SourceBuilding => ({ ...row, type: 'anonymous' })),
    ];
  }
}

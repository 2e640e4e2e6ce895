import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BuildingsService } from '../buildings/buildings.service';
import { BuildingRecord } from '../common/building-record';
import { InterestPoolService } from '../interest-pool/interest-pool.service';
import type { RegistrationType } from './registration.service';

export type FoundRecord = { type: RegistrationType; record: BuildingRecord };

/** Finds a building in whichever of the two tables it lives in. */
@Injectable()
export class BuildingDirectory {
  constructor(
    private readonly buildings: BuildingsService,
    private readonly interestPool: InterestPoolService,
  ) {}

  async find(manager: EntityManager, buildingId: string): Promise<FoundRecord | null> {
    const building = await this.buildings.findById(manager, buildingId);
    if (building) return { type: 'registered', record: building };
    const entry = await this.interestPool.findById(manager, buildingId);
    return entry ? { type: 'anonymous', record: entry } : null;
  }

  async findByEmail(manager: EntityManager, email: string): Promise<FoundRecord[]> {
    const [buildings, entries] = await Promise.all([
      this.buildings.findByEmail(manager, email),
      this.interestPool.findByEmail(manager, email),
    ]);
    return [
      ...buildings.map((record): FoundRecord => ({ type: 'registered', record })),
      ...entries.map((record): FoundRecord => ({ type: 'anonymous', record })),
    ];
  }

  markVerified(manager: EntityManager, found: FoundRecord, at: Date): Promise<boolean> {
    const table = found.type === 'registered' ? this.buildings : this.interestPool;
    return table.markVerified(manager, found.record.buildingId, at);
  }

  /** Removes the building from both tables; true when there was something to remove. */
  async remove(manager: EntityManager, buildingId: string): Promise<boolean> {
    const removedBuilding = await this.buildings.remove(manager, buildingId);
    const removedEntry = await this.interestPool.remove(manager, buildingId);
    return removedBuilding || removedEntry;
  }
}

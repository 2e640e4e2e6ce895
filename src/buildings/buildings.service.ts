import { Injectable } from '@nestjs/common';
import { BuildingRecordStore } from '../common/building-record.store';
import { Building } from './building.entity';

/** Full registrations: owners who want to be put in touch with their confirmed neighbours. */
@Injectable()
export class BuildingsService extends BuildingRecordStore<Building> {
  constructor() {
    super(Building);
  }
}

import { Injectable } from '@nestjs/common';
import { BuildingRecordStore } from '../common/building-record.store';
import { InterestPoolEntry } from './interest-pool-entry.entity';

/** Anonymous registrations: owners who want to know whether a community forms, without being listed. */
@Injectable()
export class InterestPoolService extends BuildingRecordStore<InterestPoolEntry> {
  constructor() {
    super(InterestPoolEntry);
  }
}

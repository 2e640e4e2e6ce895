import { Injectable } from '@nestjs/common';
import { RecordRepository } from '../record.repository';
import { InterestPoolEntry } from './interest-pool-entry.entity';

/** The table of the interest pool (anonymous registrations). */
@Injectable()
export class InterestPoolRepository extends RecordRepository {
  constructor() {
    super(InterestPoolEntry);
  }
}

import { Injectable } from '@nestjs/common';
import { RecordRepository } from '../record.repository';
import { Building } from './building.entity';

/** The table of full registrations. */
@Injectable()
export class BuildingsRepository extends RecordRepository {
  constructor() {
    super(Building);
  }
}

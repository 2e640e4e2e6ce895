import { Module } from '@nestjs/common';
import { BuildingRecordsService } from './building-records.service';
import { BuildingsModule } from './buildings/buildings.module';
import { InterestPoolModule } from './interest-pool/interest-pool.module';

/** Building records in their two tables, behind one service that keeps the pairing rule. */
@Module({
  imports: [BuildingsModule, InterestPoolModule],
  providers: [BuildingRecordsService],
  exports: [BuildingRecordsService],
})
export class BuildingRecordsModule {}

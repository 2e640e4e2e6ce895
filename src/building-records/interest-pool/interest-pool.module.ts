import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InterestPoolEntry } from './interest-pool-entry.entity';
import { InterestPoolRepository } from './interest-pool.repository';

/** Owns the `interest_pool` table; only BuildingRecordsModule uses it. */
@Module({
  imports: [TypeOrmModule.forFeature([InterestPoolEntry])],
  providers: [InterestPoolRepository],
  exports: [InterestPoolRepository],
})
export class InterestPoolModule {}

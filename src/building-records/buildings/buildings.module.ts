import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Building } from './building.entity';
import { BuildingsRepository } from './buildings.repository';

/** Owns the `buildings` table; only BuildingRecordsModule uses it. */
@Module({
  imports: [TypeOrmModule.forFeature([Building])],
  providers: [BuildingsRepository],
  exports: [BuildingsRepository],
})
export class BuildingsModule {}

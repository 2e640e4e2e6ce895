import { Module } from '@nestjs/common';
import { DatabaseMaintenanceService } from './database-maintenance.service';

@Module({
  providers: [DatabaseMaintenanceService],
  exports: [DatabaseMaintenanceService],
})
export class MaintenanceModule {}

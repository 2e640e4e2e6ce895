import { Module } from '@nestjs/common';
import { AdminGuard } from '../admin/admin.guard';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClustersModule } from '../clusters/clusters.module';
import { InterestPoolModule } from '../interest-pool/interest-pool.module';
import { RegistrationModule } from '../registration/registration.module';
import { LegacyAdminController } from './legacy-admin.controller';
import { LegacyCompatService } from './legacy-compat.service';
import { LegacyExportService } from './legacy-export.service';
import { LegacyImportService } from './legacy-import.service';
import { LegacyPagesController } from './legacy-pages.controller';
import { LegacyController } from './legacy.controller';

/** Moving over from the previous version: its JSON files in and out, its routes kept for its page. */
@Module({
  imports: [BuildingsModule, InterestPoolModule, ClustersModule, RegistrationModule],
  controllers: [LegacyController, LegacyPagesController, LegacyAdminController],
  providers: [LegacyCompatService, LegacyImportService, LegacyExportService, AdminGuard],
  exports: [LegacyImportService, LegacyExportService],
})
export class LegacyModule {}

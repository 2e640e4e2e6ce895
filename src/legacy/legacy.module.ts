import { Module } from '@nestjs/common';
import { AdminGuard } from '../admin/admin.guard';
import { AddressesModule } from '../addresses/addresses.module';
import { BuildingRecordsModule } from '../building-records/building-records.module';
import { RouteErrorShape } from '../common/http-error.filter';
import { CommunitiesModule } from '../communities/communities.module';
import { RegistrationModule } from '../registration/registration.module';
import { TokensModule } from '../tokens/tokens.module';
import { LegacyAdminController } from './legacy-admin.controller';
import { LegacyCompatService } from './legacy-compat.service';
import { LegacyRouteErrorShape } from './legacy-error.filter';
import { LegacyExportService } from './legacy-export.service';
import { LegacyImportService } from './legacy-import.service';
import { LegacyPagesController } from './legacy-pages.controller';
import { LegacyController } from './legacy.controller';

/** Moving over from the previous version: its JSON files in and out, its routes kept for its page. */
@Module({
  imports: [AddressesModule, BuildingRecordsModule, TokensModule, CommunitiesModule, RegistrationModule],
  controllers: [LegacyController, LegacyPagesController, LegacyAdminController],
  providers: [LegacyCompatService, LegacyImportService, LegacyExportService, AdminGuard, { provide: RouteErrorShape, useClass: LegacyRouteErrorShape }],
  exports: [LegacyImportService, LegacyExportService, RouteErrorShape],
})
export class LegacyModule {}

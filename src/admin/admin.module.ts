import { Module } from '@nestjs/common';
import { BuildingRecordsModule } from '../building-records/building-records.module';
import { CommunitiesModule } from '../communities/communities.module';
import { MailModule } from '../mail/mail.module';
import { RegistrationModule } from '../registration/registration.module';
import { TokensModule } from '../tokens/tokens.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';

@Module({
  imports: [BuildingRecordsModule, CommunitiesModule, TokensModule, MailModule, RegistrationModule],
  controllers: [AdminController],
  providers: [AdminService, AdminGuard],
})
export class AdminModule {}

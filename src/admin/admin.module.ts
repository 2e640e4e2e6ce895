import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClustersModule } from '../clusters/clusters.module';
import { InterestPoolModule } from '../interest-pool/interest-pool.module';
import { MailModule } from '../mail/mail.module';
import { RegistrationModule } from '../registration/registration.module';
import { TokensModule } from '../tokens/tokens.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';

@Module({
  imports: [BuildingsModule, ClustersModule, InterestPoolModule, TokensModule, MailModule, RegistrationModule],
  controllers: [AdminController],
  providers: [AdminService, AdminGuard],
})
export class AdminModule {}

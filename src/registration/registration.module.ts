import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClustersModule } from '../clusters/clusters.module';
import { InterestPoolModule } from '../interest-pool/interest-pool.module';
import { MailModule } from '../mail/mail.module';
import { TokensModule } from '../tokens/tokens.module';
import { BuildingDirectory } from './building-directory.service';
import { ConfirmationController } from './confirmation.controller';
import { ConfirmationService } from './confirmation.service';
import { ErasureService } from './erasure.service';
import { LinkPagesController } from './link-pages.controller';
import { RegistrationController } from './registration.controller';
import { RegistrationService } from './registration.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** The owner's journey: register, confirm, unsubscribe. */
@Module({
  imports: [BuildingsModule, InterestPoolModule, TokensModule, MailModule, ClustersModule],
  controllers: [RegistrationController, ConfirmationController, UnsubscribeController, LinkPagesController],
  providers: [RegistrationService, ConfirmationService, ErasureService, BuildingDirectory],
  exports: [RegistrationService, ErasureService, BuildingDirectory],
})
export class RegistrationModule {}

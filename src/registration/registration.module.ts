import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { BuildingRecordsModule } from '../building-records/building-records.module';
import { CommunitiesModule } from '../communities/communities.module';
import { MailModule } from '../mail/mail.module';
import { TokensModule } from '../tokens/tokens.module';
import { ConfirmationController } from './confirmation.controller';
import { ConfirmationService } from './confirmation.service';
import { ErasureService } from './erasure.service';
import { LinkPagesController } from './link-pages.controller';
import { RegistrationController } from './registration.controller';
import { RegistrationService } from './registration.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** The owner's journey: register, confirm, unsubscribe. */
@Module({
  imports: [AddressesModule, BuildingRecordsModule, TokensModule, MailModule, CommunitiesModule],
  controllers: [RegistrationController, ConfirmationController, UnsubscribeController, LinkPagesController],
  providers: [RegistrationService, ConfirmationService, ErasureService],
  exports: [RegistrationService, ErasureService],
})
export class RegistrationModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
import { DisclosuresService } from './disclosures.service';
import { HousekeepingService } from './housekeeping.service';
import { ClaimStore } from './ownership/claim.store';
import { HandoverController } from './ownership/handover.controller';
import { HandoverService } from './ownership/handover.service';
import { OwnershipService } from './ownership/ownership.service';
import { RegistrationClaim } from './ownership/registration-claim.entity';
import { UnsubscribeRequest } from './unsubscribe-request.entity';
import { UnsubscribeRequestQueue } from './unsubscribe-request.queue';

/** The owner's journey: register, confirm, unsubscribe; who holds a building, and the housekeeping of unconfirmed data. */
@Module({
  imports: [TypeOrmModule.forFeature([RegistrationClaim, UnsubscribeRequest]), AddressesModule, BuildingRecordsModule, TokensModule, MailModule, CommunitiesModule],
  controllers: [RegistrationController, ConfirmationController, UnsubscribeController, LinkPagesController, HandoverController],
  providers: [
    RegistrationService,
    ConfirmationService,
    ErasureService,
    ClaimStore,
    OwnershipService,
    HandoverService,
    UnsubscribeRequestQueue,
    DisclosuresService,
    HousekeepingService,
  ],
  exports: [RegistrationService, ErasureService],
})
export class RegistrationModule {}

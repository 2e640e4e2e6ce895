import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AddressesModule } from '../addresses/addresses.module';
import { BuildingRecordsModule } from '../building-records/building-records.module';
import { MailModule } from '../mail/mail.module';
import { TokensModule } from '../tokens/tokens.module';
import { ContactNotifier } from './notifications/contact-notifier.service';
import { CommunitiesController } from './public/communities.controller';
import { PotentialService } from './public/potential.service';
import { PublicMapService } from './public/public-map.service';
import { CommunitySource } from './recomputation/community-source';
import { RecomputationService } from './recomputation/recomputation.service';
import { CommunityMember } from './store/community-member.entity';
import { Community } from './store/community.entity';
import { CommunityStore } from './store/community.store';
import { ContactState } from './store/contact-state.entity';
import { RecomputationState } from './store/recomputation-state.entity';

/**
 * Candidate communities: the pure engine, their storage, the recomputation after changes, the
 * contact notifications, and what the public sees (map, ranked list, potential check).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Community, CommunityMember, ContactState, RecomputationState]), AddressesModule, BuildingRecordsModule, TokensModule, MailModule],
  controllers: [CommunitiesController],
  providers: [
    CommunityStore,
    CommunitySource,
    ContactNotifier,
    RecomputationService,
    PublicMapService,
    PotentialService,
  ],
  exports: [CommunityStore, ContactNotifier, RecomputationService, PublicMapService, PotentialService],
})
export class CommunitiesModule {}

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
import { CommunityChanges } from './recomputation/community-changes.service';
import { IncrementalRecomputation } from './recomputation/incremental-recomputation';
import { RecomputationService } from './recomputation/recomputation.service';
import { Community } from './store/community.entity';
import { CommunityStore } from './store/community.store';
import { PublicMapStore } from './store/public-map.store';
import { CommunityBuilding } from './store/community-building.entity';
import { ContactList } from './store/contact-list.entity';
import { ContactSeed } from './store/contact-seed.entity';
import { MapCell } from './store/map-cell.entity';
import { PendingChange } from './store/pending-change.entity';
import { PublicDataVersion } from './store/public-data-version.entity';
import { RecomputationState } from './store/recomputation-state.entity';

/**
 * Candidate communities: the pure engine, their storage, the recomputation after changes, the
 * contact notifications, and what the public sees (map, ranked list, potential check).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Community, CommunityBuilding, ContactList, ContactSeed, PendingChange, RecomputationState, MapCell, PublicDataVersion]), AddressesModule, BuildingRecordsModule, TokensModule, MailModule],
  controllers: [CommunitiesController],
  providers: [
    CommunityStore,
    PublicMapStore,
    IncrementalRecomputation,
    CommunityChanges,
    ContactNotifier,
    RecomputationService,
    PublicMapService,
    PotentialService,
  ],
  exports: [CommunityStore, CommunityChanges, ContactNotifier, RecomputationService, PublicMapService, PotentialService],
})
export class CommunitiesModule {}

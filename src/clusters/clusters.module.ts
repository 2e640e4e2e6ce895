import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { InterestPoolModule } from '../interest-pool/interest-pool.module';
import { MailModule } from '../mail/mail.module';
import { TokensModule } from '../tokens/tokens.module';
import { AddressEstimator, OfflineAddressEstimator } from './address-estimator';
import { ClustersController } from './clusters.controller';
import { ClustersService } from './clusters.service';
import { CommunitySource } from './community-source';
import { ContactNotifier } from './contact-notifier.service';
import { PotentialService } from './potential.service';
import { PublicMapService } from './public-map.service';
import { RecomputationService } from './recomputation.service';

@Module({
  imports: [BuildingsModule, InterestPoolModule, TokensModule, MailModule],
  controllers: [ClustersController],
  providers: [
    ClustersService,
    CommunitySource,
    ContactNotifier,
    RecomputationService,
    PublicMapService,
    PotentialService,
    { provide: AddressEstimator, useClass: OfflineAddressEstimator },
  ],
  exports: [ClustersService, ContactNotifier, RecomputationService, PublicMapService, PotentialService, AddressEstimator],
})
export class ClustersModule {}

import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AddressCacheEntry } from './address-cache.entity';
import { AddressCacheStore } from './address-cache.store';
import { AddressDirectory } from './address-directory';
import { createAddressDirectory } from './address-directory.factory';
import { AddressSearchService } from './address-search.service';
import { AddressesController } from './addresses.controller';
import { ExampleProfileService } from './example-profile.service';
import { ProfileSigner } from './profile-signer.service';

/**
 * The address directory (federal geodata or the offline demo gazetteer), its autocomplete route and
 * the signing of the profiles it returns. Registration and the address check use the exports.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AddressCacheEntry])],
  controllers: [AddressesController],
  providers: [
    AddressCacheStore,
    { provide: AddressDirectory, inject: [ConfigService, AddressCacheStore], useFactory: createAddressDirectory },
    AddressSearchService,
    ProfileSigner,
    ExampleProfileService,
  ],
  exports: [AddressDirectory, AddressSearchService, ProfileSigner, ExampleProfileService],
})
export class AddressesModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(AddressesModule.name);

  constructor(private readonly directory: AddressDirectory) {}

  onApplicationBootstrap(): void {
    this.logger.log(this.directory.description);
  }
}

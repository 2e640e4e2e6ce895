import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { HealthModule } from '../health/health.module';
import { HomeController } from './home.controller';
import { HomeService } from './home.service';

/** The page at /: what the service is, its version and state, and where the API and its description are. */
@Module({
  imports: [HealthModule, AddressesModule],
  controllers: [HomeController],
  providers: [HomeService],
})
export class HomeModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AddressesModule } from './addresses/addresses.module';
import { AdminModule } from './admin/admin.module';
import { BuildingRecordsModule } from './building-records/building-records.module';
import { CommunitiesModule } from './communities/communities.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { Env } from './config/env.validation';
import { DatabaseTarget } from './database/database-target';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HomeModule } from './home/home.module';
import { LegacyModule } from './legacy/legacy.module';
import { LoggingModule } from './logging/logging.module';
import { MailModule } from './mail/mail.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { RegistrationModule } from './registration/registration.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { TokensModule } from './tokens/tokens.module';

@Module({})
export class AppModule {
  /** The whole application for a validated environment and an opened database. */
  static register(env: Env, database: DatabaseTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...env })] }),
        LoggingModule.forEnv(env),
        EventEmitterModule.forRoot(),
        DatabaseModule.forTarget(database, env.MIGRATIONS_RUN),
        RateLimitsModule.forEnv(env),
        SchedulingModule,
        MaintenanceModule,
        HealthModule,
        BuildingRecordsModule,
        TokensModule,
        CommunitiesModule,
        MailModule,
        RegistrationModule,
        AdminModule,
        LegacyModule,
        AddressesModule,
        HomeModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}

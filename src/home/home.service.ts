import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AddressDirectory } from '../addresses/address-directory';
import { APP_VERSION } from '../common/app-version';
import { Env } from '../config/env.validation';
import { DatabaseTarget } from '../database/database-target';
import { DATABASE_TARGET } from '../database/database.module';
import { HealthService } from '../health/health.service';
import { HomeFacts } from './home-page';

/** Gathers what the page at / shows, asking the database at the moment of the request. */
@Injectable()
export class HomeService {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly health: HealthService,
    private readonly directory: AddressDirectory,
    @Inject(DATABASE_TARGET) private readonly database: DatabaseTarget,
  ) {}

  async facts(): Promise<HomeFacts> {
    const report = await this.health.report();
    return {
      appName: this.config.get('APP_NAME', { infer: true }),
      version: APP_VERSION,
      databaseUp: report.db === 'up',
      databaseMode: this.database.mode,
      addressDirectory: this.directory.kind,
    };
  }
}

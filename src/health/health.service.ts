import { Injectable } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { APP_VERSION } from '../common/app-version';
import { HealthReport } from './health-report.dto';

const DB_PING_TIMEOUT_MS = 1500;

@Injectable()
export class HealthService {
  constructor(
    private readonly checks: HealthCheckService,
    private readonly typeorm: TypeOrmHealthIndicator,
  ) {}

  async report(): Promise<HealthReport> {
    const databaseUp = await this.checks
      .check([() => this.typeorm.pingCheck('db', { timeout: DB_PING_TIMEOUT_MS })])
      .then(() => true)
      .catch(() => false);
    return {
      status: databaseUp ? 'healthy' : 'unhealthy',
      db: databaseUp ? 'up' : 'down',
      timestamp: new Date().toISOString(),
      version: APP_VERSION,
    };
  }
}

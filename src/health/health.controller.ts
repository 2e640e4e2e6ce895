import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SkipRateLimit } from '../rate-limits/rate-budget.decorator';
import { HealthService } from './health.service';
import { HealthReport } from './health-report.dto';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * Liveness and database reachability, in the shape the previous version's monitors read. Never
   * rate limited, so a monitor behind the same address as a busy client still sees the truth; it has
   * no client errors (a documented exception to the rule that every operation documents a 4xx).
   */
  @Get()
  @HttpCode(200)
  @SkipRateLimit()
  @ApiOperation({ summary: 'Is the service up, and does its database answer?' })
  @ApiOkResponse({ type: HealthReport, description: 'The service and its database answer' })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'The database does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status !== 'healthy') response.status(503);
    response.setHeader('Cache-Control', 'no-store');
    return report;
  }
}

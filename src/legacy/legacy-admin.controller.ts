import { once } from 'node:events';
import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard } from '../admin/admin.guard';
import { ApiErrorResponse } from '../common/api-error-responses';
import { LegacyExportService } from './legacy-export.service';

@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponse(401)
@ApiErrorResponse(404, 'The admin API is turned off (no ADMIN_API_KEY)')
@UseGuards(AdminGuard)
@Controller('api/admin')
export class LegacyAdminController {
  constructor(private readonly exporter: LegacyExportService) {}

  @Get('export')
  @ApiProduces('application/json')
  @ApiOperation({
    summary: 'Export all data in the previous version\'s database.json shape (streamed)',
    description:
      'For backups and for leaving. Personal data included; tokens only as SHA-256 hashes under "token_hashes", ' +
      'which `npm run import:legacy` reads back.',
  })
  @ApiOkResponse({ description: 'database.json' })
  async export(@Res() response: Response): Promise<void> {
    response.status(200);
    response.type('application/json');
    response.setHeader('Content-Disposition', `attachment; filename="leg-match-export-${new Date().toISOString().slice(0, 10)}.json"`);
    response.setHeader('Cache-Control', 'no-store');
    await this.exporter.export(async (chunk) => {
      if (!response.write(chunk)) await once(response, 'drain');
    });
    response.end();
  }
}

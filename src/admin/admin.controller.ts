import { Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiErrorResponses } from '../common/api-error-responses';
import { AdminGuard } from './admin.guard';
import { BuildingIdPipe } from './building-id.pipe';
import { AdminService } from './admin.service';
import { AdminRecordDto, AdminRecordPageDto, AdminStatsDto, PurgeResultDto, RecomputeResultDto } from './dto/admin-record.dto';
import { RecordQueryDto } from './dto/record-query.dto';

/**
 * The example is the building the registration examples in /docs create (the example address in the
 * offline directory; /docs puts in the id the directory in use gives it), so that Swagger UI finds it.
 */
const BUILDING_ID_PARAM = { name: 'buildingId', description: 'The building id of a record', example: 'demo-baden-badstrasse-12' };

@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponse(401)
@ApiErrorResponse(404, 'The admin API is turned off (no ADMIN_API_KEY), or no such record')
@UseGuards(AdminGuard)
@Controller('api/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('buildings')
  @ApiOperation({ summary: 'List full registrations (with personal data)' })
  @ApiOkResponse({ type: AdminRecordPageDto })
  @ApiErrorResponses(400)
  listBuildings(@Query() query: RecordQueryDto): Promise<AdminRecordPageDto> {
    return this.admin.listBuildings(query);
  }

  @Get('interest-pool')
  @ApiOperation({ summary: 'List interest-pool entries (with personal data)' })
  @ApiOkResponse({ type: AdminRecordPageDto })
  @ApiErrorResponses(400)
  listInterestPool(@Query() query: RecordQueryDto): Promise<AdminRecordPageDto> {
    return this.admin.listInterestPool(query);
  }

  @Get('records/:buildingId')
  @ApiOperation({ summary: 'Read one record, whichever table it is in' })
  @ApiParam(BUILDING_ID_PARAM)
  @ApiOkResponse({ type: AdminRecordDto })
  @ApiErrorResponses(400)
  findRecord(@Param('buildingId', BuildingIdPipe) buildingId: string): Promise<AdminRecordDto> {
    return this.admin.findRecord(buildingId);
  }

  @Delete('records/:buildingId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a building and everything belonging to it (as an unsubscribe does)' })
  @ApiParam(BUILDING_ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400)
  deleteRecord(@Param('buildingId', BuildingIdPipe) buildingId: string): Promise<void> {
    return this.admin.deleteRecord(buildingId);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Counts: records, confirmed records, tokens, outbox' })
  @ApiOkResponse({ type: AdminStatsDto })
  stats(): Promise<AdminStatsDto> {
    return this.admin.stats();
  }

  @Post('clusters/recompute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Recompute the communities now (and queue contact e-mails for changed communities)' })
  @ApiOkResponse({ type: RecomputeResultDto })
  recompute(): Promise<RecomputeResultDto> {
    return this.admin.recompute();
  }

  @Post('tokens/purge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete expired verification tokens now' })
  @ApiOkResponse({ type: PurgeResultDto })
  purgeTokens(): Promise<PurgeResultDto> {
    return this.admin.purgeTokens();
  }
}

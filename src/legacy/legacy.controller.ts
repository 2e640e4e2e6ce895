import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { sendVersioned } from '../communities/public/prepared-response';
import { PublicMapService } from '../communities/public/public-map.service';
import { AddressQueryDto } from '../addresses/dto/address-query.dto';
import { RateBudget } from '../rate-limits/rate-budget.decorator';
import { RegisterDto } from '../registration/dto/register.dto';
import {
  LegacyBuildingsDto,
  LegacyCheckRequestDto,
  LegacyCheckResultDto,
  LegacyClustersDto,
  LegacyRegisterResultDto,
  LegacySuggestionsDto,
} from './dto/legacy.dto';
import { LegacyCompatService } from './legacy-compat.service';
import { LegacyErrorFilter } from './legacy-error.filter';

const ERRORS = ' Errors: `{ "error": "<German message>" }` with status 400, 404, 413, 422, 429 or 503.';

/** The previous version's JSON routes, unchanged for its page; each points to its replacement. */
@ApiTags('legacy')
@ApiBadRequestResponse({ description: '`{ "error": "Ungültige Eingabe. (…)" }`' })
@ApiPayloadTooLargeResponse({ description: '`{ "error": "Die Anfrage ist zu gross." }`' })
@ApiTooManyRequestsResponse({ description: '`{ "error": "Zu viele Anfragen. …" }`' })
@UseFilters(LegacyErrorFilter)
@Controller('api')
export class LegacyController {
  constructor(
    private readonly compat: LegacyCompatService,
    private readonly map: PublicMapService,
  ) {}

  @Get('suggest_addresses')
  @RateBudget('autocomplete')
  @ApiOperation({
    deprecated: true,
    summary: 'Address suggestions while typing (previous version)',
    description: 'Use GET /api/addresses instead (it also gives the building id for the address check).' + ERRORS,
  })
  @ApiOkResponse({ type: LegacySuggestionsDto })
  suggest(@Query() query: AddressQueryDto): Promise<LegacySuggestionsDto> {
    return this.compat.suggest(query.q);
  }

  @Post('check_potential')
  @HttpCode(200)
  @RateBudget('lookup')
  @ApiOperation({ deprecated: true, summary: 'Check an address (previous version)', description: 'Use POST /api/potential instead.' + ERRORS })
  @ApiOkResponse({ type: LegacyCheckResultDto })
  check(@Body() body: LegacyCheckRequestDto): Promise<LegacyCheckResultDto> {
    return this.compat.check(body.address);
  }

  @Post('register_anonymous')
  @HttpCode(200)
  @RateBudget('registration')
  @ApiOperation({ deprecated: true, summary: 'Register into the interest pool (previous version)', description: 'Use POST /api/interest-pool instead.' + ERRORS })
  @ApiOkResponse({ type: LegacyRegisterResultDto })
  registerAnonymous(@Body() dto: RegisterDto): Promise<LegacyRegisterResultDto> {
    return this.compat.register(dto, 'anonymous');
  }

  @Post('register_full')
  @HttpCode(200)
  @RateBudget('registration')
  @ApiOperation({ deprecated: true, summary: 'Register fully (previous version)', description: 'Use POST /api/buildings instead.' + ERRORS })
  @ApiOkResponse({ type: LegacyRegisterResultDto })
  registerFull(@Body() dto: RegisterDto): Promise<LegacyRegisterResultDto> {
    return this.compat.register(dto, 'registered');
  }

  @Get('get_all_buildings')
  @RateBudget('map')
  @ApiOperation({ deprecated: true, summary: 'All buildings, jittered (previous version)', description: 'Use GET /api/map/buildings instead.' + ERRORS })
  @ApiOkResponse({ type: LegacyBuildingsDto })
  async buildings(@Req() request: Request, @Res() response: Response): Promise<void> {
    await sendVersioned(request, response, await this.map.buildings());
  }

  @Get('get_all_clusters')
  @RateBudget('map')
  @ApiOperation({ deprecated: true, summary: 'Candidate communities (previous version)', description: 'Use GET /api/clusters instead.' + ERRORS })
  @ApiOkResponse({ type: LegacyClustersDto })
  clusters(): Promise<LegacyClustersDto> {
    return this.compat.clusters();
  }
}

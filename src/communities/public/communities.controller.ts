import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CommunitiesDto, MapBuildingsDto } from './dto/public.dto';
import { PotentialRequestDto, PotentialResultDto } from './dto/potential.dto';
import { PotentialService } from './potential.service';
import { sendPrepared } from './prepared-response';
import { PublicMapService } from './public-map.service';
import { RateBudget, SkipRateLimit } from '../../rate-limits/rate-budget.decorator';

@ApiTags('map')
@Controller('api')
export class CommunitiesController {
  constructor(
    private readonly map: PublicMapService,
    private readonly potential: PotentialService,
  ) {}

  @Get('map/buildings')
  @SkipRateLimit()
  @ApiOperation({
    summary: 'All registered buildings for the map, at jittered positions',
    description: 'No ids, no contact data, no exact coordinates. Supports ETag / If-None-Match (304) and gzip.',
  })
  @ApiOkResponse({ type: MapBuildingsDto })
  async buildings(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendPrepared(request, response, await this.map.buildingsResponse());
  }

  @Get('clusters')
  @SkipRateLimit()
  @ApiOperation({
    summary: 'Candidate communities ranked by autarky',
    description: 'Members appear only as jittered positions. Supports ETag / If-None-Match (304) and gzip.',
  })
  @ApiOkResponse({ type: CommunitiesDto })
  async communities(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendPrepared(request, response, await this.map.communitiesResponse());
  }

  @Post('potential')
  @HttpCode(200)
  @RateBudget('lookup')
  @ApiOperation({
    summary: 'Can I find partners here?',
    description:
      'Give a profile (coordinates and figures) or an address. An address is turned into an estimated profile ' +
      '(offline estimate, deterministic per address), which can then be sent back to register.',
  })
  @ApiOkResponse({ type: PotentialResultDto })
  @ApiBadRequestResponse({ description: 'Neither a valid profile nor a valid address' })
  @ApiTooManyRequestsResponse({ description: 'Too many address checks from this client (see Retry-After)' })
  check(@Body() request: PotentialRequestDto): Promise<PotentialResultDto> {
    return this.potential.check(request);
  }
}

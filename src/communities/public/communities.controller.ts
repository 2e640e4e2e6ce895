import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponse, ApiErrorResponses } from '../../common/api-error-responses';
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
  @ApiErrorResponses(503)
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
  @ApiErrorResponses(503)
  async communities(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendPrepared(request, response, await this.map.communitiesResponse());
  }

  @Post('potential')
  @HttpCode(200)
  @RateBudget('lookup')
  @ApiOperation({
    summary: 'Can I find partners here?',
    description:
      'Give an address, or the `building_id` of a suggestion from GET /api/addresses; the server looks the building up ' +
      'in the address directory (never coordinates from the client). The answer shows confirmed registrations at their ' +
      'public (blurred) positions and coarse figures, and the building\'s profile signed by the server: send ' +
      '`profile_summary` back as `profile` to register (within a day).',
  })
  @ApiOkResponse({ type: PotentialResultDto })
  @ApiErrorResponse(400, 'Neither a valid address nor a valid building id')
  @ApiErrorResponse(404, 'The address directory knows no building at this address')
  @ApiErrorResponse(422, 'The address is outside the area this service covers')
  @ApiErrorResponse(429, 'Too many address checks from this client (see Retry-After)')
  @ApiErrorResponse(503, 'The address directory (or the database) is not answering; try again shortly')
  check(@Body() request: PotentialRequestDto): Promise<PotentialResultDto> {
    return this.potential.check(request);
  }
}

import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ApiErrorResponse, ApiErrorResponses } from '../common/api-error-responses';
import { CommunitiesDto, MapBuildingsDto } from './dto/public.dto';
import { PotentialRequestDto, PotentialResultDto } from './dto/potential.dto';
import { PotentialService } from './potential.service';
import { PreparedResponse, PublicMapService } from './public-map.service';

/** Sends a prepared response: 304 when the client has it, gzip when the client accepts it. */
export function sendPrepared(request: Request, response: Response, prepared: PreparedResponse): void {
  response.setHeader('ETag', prepared.etag);
  response.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  response.setHeader('Vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === prepared.etag) {
    response.status(304).end();
    return;
  }
  response.type('application/json');
  if (request.acceptsEncodings('gzip') === 'gzip') {
    response.setHeader('Content-Encoding', 'gzip');
    response.send(prepared.gzip);
    return;
  }
  response.send(prepared.json);
}

@ApiTags('map')
@Controller('api')
export class ClustersController {
  constructor(
    private readonly map: PublicMapService,
    private readonly potential: PotentialService,
  ) {}

  @Get('map/buildings')
  @ApiOperation({
    summary: 'All registered buildings for the map, at jittered positions',
    description: 'No ids, no contact data, no exact coordinates. Supports ETag / If-None-Match (304) and gzip.',
  })
  @ApiOkResponse({ type: MapBuildingsDto })
  @ApiErrorResponses(429)
  async buildings(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendPrepared(request, response, await this.map.buildingsResponse());
  }

  @Get('clusters')
  @ApiOperation({
    summary: 'Candidate communities ranked by autarky',
    description: 'Members appear only as jittered positions. Supports ETag / If-None-Match (304) and gzip.',
  })
  @ApiOkResponse({ type: CommunitiesDto })
  @ApiErrorResponses(429)
  async communities(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendPrepared(request, response, await this.map.communitiesResponse());
  }

  @Post('potential')
  @HttpCode(200)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Can I find partners here?',
    description:
      'Give a profile (coordinates and figures) or an address. An address is turned into an estimated profile ' +
      '(offline estimate, deterministic per address), which can then be sent back to register.',
  })
  @ApiOkResponse({ type: PotentialResultDto })
  @ApiErrorResponse(400, 'Neither a valid profile nor a valid address')
  @ApiErrorResponse(429, 'More than 10 checks per minute from this address')
  check(@Body() request: PotentialRequestDto): Promise<PotentialResultDto> {
    return this.potential.check(request);
  }
}

import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { EXAMPLE_ADDRESS } from '../../addresses/example-profile.service';
import type { Request, Response } from 'express';
import { ApiErrorResponse, ApiErrorResponses } from '../../common/api-error-responses';
import { CommunitiesDto, MapBuildingsDto, MapViewportDto, MapViewportQueryDto } from './dto/public.dto';
import { MARKER_MIN_ZOOM } from './map-grid';
import { PotentialRequestDto, PotentialResultDto } from './dto/potential.dto';
import { PotentialService } from './potential.service';
import { sendVersioned } from './prepared-response';
import { PublicMapService } from './public-map.service';
import { RateBudget } from '../../rate-limits/rate-budget.decorator';

/** A viewport may be cached a little while by browsers and proxies: markers move only when registrations do. */
const VIEWPORT_CACHE_CONTROL = 'public, max-age=30, must-revalidate';

@ApiTags('map')
@Controller('api')
export class CommunitiesController {
  constructor(
    private readonly map: PublicMapService,
    private readonly potential: PotentialService,
  ) {}

  @Get('map/buildings')
  @RateBudget('map')
  @ApiOperation({
    summary: 'The map: confirmed registrations at their public (blurred) positions, by viewport',
    description:
      'With `bbox` and `zoom`: from zoom 14 on the markers inside the box (at most 5000; more are answered as counts), ' +
      'below it counts per grid cell drawn at their centroid. Cacheable per viewport (ETag, If-None-Match → 304 as long ' +
      'as nothing changed anywhere). Without `bbox`: every marker, as the previous page reads it; not meant for national ' +
      'scale. No ids, no contact data, no exact coordinates.',
  })
  @ApiExtraModels(MapBuildingsDto, MapViewportDto)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(MapViewportDto) }, { $ref: getSchemaPath(MapBuildingsDto) }] } })
  @ApiErrorResponse(400, 'bbox is not minLon,minLat,maxLon,maxLat with min < max, or zoom is not an integer 0–20')
  @ApiErrorResponse(429, 'Too many map requests from this client (RATE_LIMIT_MAP, see Retry-After)')
  async buildings(@Query() query: MapViewportQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (query.bbox === undefined) {
      await sendVersioned(request, response, await this.map.buildings());
      return;
    }
    await sendVersioned(request, response, await this.map.viewport(query.bbox, query.zoom ?? MARKER_MIN_ZOOM), VIEWPORT_CACHE_CONTROL);
  }

  @Get('clusters')
  @RateBudget('map')
  @ApiOperation({
    summary: 'Candidate communities, ranked by their published autarky',
    description:
      'Members appear only as public (blurred) positions; figures are coarse and withheld below three members. ' +
      'Supports ETag / If-None-Match (304) and gzip. The whole list: not meant for national scale.',
  })
  @ApiOkResponse({ type: CommunitiesDto })
  @ApiErrorResponse(429, 'Too many map requests from this client (RATE_LIMIT_MAP, see Retry-After)')
  @ApiErrorResponses(503)
  async communities(@Req() request: Request, @Res() response: Response): Promise<void> {
    await sendVersioned(request, response, await this.map.communities());
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
  // One of the two fields: an example with both would be refused, so the body's example is the address alone.
  @ApiBody({ type: PotentialRequestDto, examples: { address: { summary: 'An address', value: { address: EXAMPLE_ADDRESS } } } })
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

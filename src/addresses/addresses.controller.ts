import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/api-error-responses';
import type { Response } from 'express';
import { RateBudget } from '../rate-limits/rate-budget.decorator';
import { AddressSearchService } from './address-search.service';
import { AddressQueryDto } from './dto/address-query.dto';
import { AddressSuggestionsDto } from './dto/address-suggestions.dto';

/** Addresses change rarely; errors (400, 503) must not be kept, so the header is set on success only. */
const SUCCESS_CACHE_CONTROL = 'public, max-age=300';

@ApiTags('addresses')
@Controller('api')
export class AddressesController {
  constructor(private readonly search: AddressSearchService) {}

  @Get('addresses')
  @RateBudget('autocomplete')
  @ApiOperation({
    summary: 'Address suggestions while typing',
    description:
      'Addresses from the federal directory (or the offline demo gazetteer, then `demo` is true) inside the ' +
      "platform's area, at most 10. Never from registrations: the answer reveals nobody who registered. " +
      'Successful answers may be cached for five minutes.',
  })
  @ApiOkResponse({ type: AddressSuggestionsDto })
  @ApiErrorResponse(400, 'q is missing, shorter than 2 or longer than 100 characters, or has other characters')
  @ApiErrorResponse(503, 'The federal address directory is not answering')
  @ApiErrorResponse(429, 'Too many requests from this client (RATE_LIMIT_AUTOCOMPLETE, see Retry-After)')
  async suggestions(@Query() query: AddressQueryDto, @Res({ passthrough: true }) response: Response): Promise<AddressSuggestionsDto> {
    const answer = await this.search.suggestions(query.q);
    response.setHeader('Cache-Control', SUCCESS_CACHE_CONTROL);
    return answer;
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiErrorResponses } from '../common/api-error-responses';
import { AcceptedDto, DisclosuresDto, UnsubscribeResultDto } from './dto/confirmation-result.dto';
import { DisclosuresService } from './disclosures.service';
import { TokenDto } from './dto/token.dto';
import { UnsubscribeRequestDto } from './dto/unsubscribe-request.dto';
import { ErasureService } from './erasure.service';
import { RateBudget } from '../rate-limits/rate-budget.decorator';

@ApiTags('registration')
@Controller('api/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly erasure: ErasureService,
    private readonly disclosures: DisclosuresService,
  ) {}

  @Post()
  @HttpCode(200)
  @RateBudget('links')
  @ApiOperation({
    summary: 'Unsubscribe with the token from an unsubscribe link',
    description: 'Deletes the building and everything belonging to it: record, tokens, queued e-mails, community memberships.',
  })
  @ApiOkResponse({ type: UnsubscribeResultDto })
  @ApiErrorResponse(400, 'The token is malformed')
  @ApiErrorResponse(404, 'The token is unknown (or the building is already deleted)')
  @ApiErrorResponses(429)
  async unsubscribe(@Body() dto: TokenDto): Promise<UnsubscribeResultDto> {
    await this.erasure.unsubscribe(dto.token);
    return { deleted: true };
  }

  @Post('request')
  @HttpCode(202)
  @RateBudget('mail-request')
  @ApiOperation({
    summary: 'Ask for an unsubscribe link by e-mail',
    description:
      'Always answers 202, in the same time whether or not the address is registered: the request is queued and ' +
      'handled after the answer. Each registration of the address receives an e-mail with its unsubscribe link (at most ' +
      'one per building every 10 minutes, and within the cap on link mails per address, MAIL_LIMIT_LINKS).',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrorResponse(400, 'Not an e-mail address')
  @ApiErrorResponses(429)
  async requestLink(@Body() dto: UnsubscribeRequestDto): Promise<AcceptedDto> {
    await this.erasure.requestUnsubscribeLinks(dto.email);
    return { message: 'If this address is registered, an e-mail with an unsubscribe link is on its way.' };
  }

  @Post('disclosures')
  @HttpCode(200)
  @RateBudget('links')
  @ApiOperation({
    summary: 'Which neighbours received my contact details, and when',
    description:
      'With the token from your own unsubscribe link (every mail we send you carries one). Lists the contact e-mails ' +
      'that carried your details: the recipient’s address and the time it was sent, newest first.',
  })
  @ApiOkResponse({ type: DisclosuresDto })
  @ApiErrorResponse(400, 'The token is malformed')
  @ApiErrorResponse(404, 'The token is unknown (or the building is deleted)')
  @ApiErrorResponses(429)
  disclosuresOf(@Body() dto: TokenDto): Promise<DisclosuresDto> {
    return this.disclosures.forLink(dto.token);
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiErrorResponses } from '../common/api-error-responses';
import { ConfirmationService } from './confirmation.service';
import { ConfirmationResultDto } from './dto/confirmation-result.dto';
import { TokenDto } from './dto/token.dto';
import { RateBudget } from '../rate-limits/rate-budget.decorator';

@ApiTags('registration')
@Controller('api/verification')
export class ConfirmationController {
  constructor(private readonly confirmation: ConfirmationService) {}

  @Post('confirm')
  @HttpCode(200)
  @RateBudget('links')
  @ApiOperation({
    summary: 'Confirm an e-mail address with the token from the confirmation link',
    description: 'Confirming agrees to share the contact details with confirmed neighbours. Using a token twice is fine.',
  })
  @ApiOkResponse({ type: ConfirmationResultDto })
  @ApiErrorResponse(400, 'The token is malformed')
  @ApiErrorResponse(404, 'The token is unknown or was replaced by a newer one')
  @ApiErrorResponse(410, 'The token has expired')
  @ApiErrorResponses(429)
  confirm(@Body() dto: TokenDto): Promise<ConfirmationResultDto> {
    return this.confirmation.confirm(dto.token);
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiErrorResponses } from '../../common/api-error-responses';
import { RateBudget } from '../../rate-limits/rate-budget.decorator';
import { HandoverResultDto } from '../dto/confirmation-result.dto';
import { HandoverDecisionDto } from '../dto/handover-decision.dto';
import { HandoverService } from './handover.service';

@ApiTags('registration')
@Controller('api/handover')
export class HandoverController {
  constructor(private readonly handover: HandoverService) {}

  @Post()
  @HttpCode(200)
  @RateBudget('links')
  @ApiOperation({
    summary: 'Agree to or object to a handover of your building’s registration',
    description:
      'With the token from the handover request mail (sent to the confirmed holder when someone else registered the building ' +
      'and confirmed their e-mail address). `agree`: the registration passes to the other person now; `object`: everything ' +
      'stays as it is. Without an answer it passes after HANDOVER_WAIT.',
  })
  @ApiOkResponse({ type: HandoverResultDto })
  @ApiErrorResponse(400, 'The token is malformed, or decision is not agree or object')
  @ApiErrorResponse(404, 'The token is unknown, already answered, or the building has changed hands since')
  @ApiErrorResponses(429)
  async decide(@Body() dto: HandoverDecisionDto): Promise<HandoverResultDto> {
    return { transferred: await this.handover.decide(dto.token, dto.decision) };
  }
}

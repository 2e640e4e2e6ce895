import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/api-error-responses';
import { RegisterDto } from './dto/register.dto';
import { RegistrationResultDto } from './dto/registration-result.dto';
import { RegistrationService } from './registration.service';
import { RateBudget } from '../rate-limits/rate-budget.decorator';

@ApiTags('registration')
@Controller('api')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post('interest-pool')
  @RateBudget('registration')
  @ApiOperation({
    summary: 'Register a building anonymously into the interest pool',
    description:
      'Stores the building unconfirmed and sends a confirmation e-mail. Registering the same building again ' +
      'replaces its data, moves it here from the full registrations if needed, and invalidates earlier confirmation links.',
  })
  @ApiCreatedResponse({ type: RegistrationResultDto })
  @ApiErrorResponse(400, 'A field is missing or invalid, or the profile is not the one the address check signed; the message names it. Nothing is stored.')
  @ApiErrorResponse(429, 'Too many registrations from this client (one budget for all registration routes, see Retry-After)')
  async registerAnonymous(@Body() dto: RegisterDto): Promise<RegistrationResultDto> {
    return (await this.registration.register(dto, 'anonymous')).result;
  }

  @Post('buildings')
  @RateBudget('registration')
  @ApiOperation({
    summary: 'Register a building fully',
    description:
      'Stores the building unconfirmed and sends a confirmation e-mail; once confirmed, the owner is put in touch ' +
      'with confirmed neighbours. A building in the interest pool is moved here in the same transaction.',
  })
  @ApiCreatedResponse({ type: RegistrationResultDto })
  @ApiErrorResponse(400, 'A field is missing or invalid, or the profile is not the one the address check signed; the message names it. Nothing is stored.')
  @ApiErrorResponse(429, 'Too many registrations from this client (one budget for all registration routes, see Retry-After)')
  async registerFull(@Body() dto: RegisterDto): Promise<RegistrationResultDto> {
    return (await this.registration.register(dto, 'registered')).result;
  }
}

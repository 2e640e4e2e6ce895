import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { ApiErrorResponse } from '../common/api-error-responses';
import { RegisterDto } from './dto/register.dto';
import { RegistrationResultDto } from './dto/registration-result.dto';
import { RegistrationService } from './registration.service';

const REGISTRATION_LIMIT = { default: { limit: 20, ttl: 60_000 } };

@ApiTags('registration')
@Controller('api')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post('interest-pool')
  @Throttle(REGISTRATION_LIMIT)
  @ApiOperation({
    summary: 'Register a building anonymously into the interest pool',
    description:
      'Stores the building unconfirmed and sends a confirmation e-mail. Registering the same building again ' +
      'replaces its data, moves it here from the full registrations if needed, and invalidates earlier confirmation links.',
  })
  @ApiCreatedResponse({ type: RegistrationResultDto })
  @ApiErrorResponse(400, 'A field is missing or invalid; the message names it. Nothing is stored.')
  @ApiErrorResponse(429, 'Too many registrations from this address')
  registerAnonymous(@Body() dto: RegisterDto): Promise<RegistrationResultDto> {
    return this.registration.register(dto, 'anonymous');
  }

  @Post('buildings')
  @Throttle(REGISTRATION_LIMIT)
  @ApiOperation({
    summary: 'Register a building fully',
    description:
      'Stores the building unconfirmed and sends a confirmation e-mail; once confirmed, the owner is put in touch ' +
      'with confirmed neighbours. A building in the interest pool is moved here in the same transaction.',
  })
  @ApiCreatedResponse({ type: RegistrationResultDto })
  @ApiErrorResponse(400, 'A field is missing or invalid; the message names it. Nothing is stored.')
  @ApiErrorResponse(429, 'Too many registrations from this address')
  registerFull(@Body() dto: RegisterDto): Promise<RegistrationResultDto> {
    return this.registration.register(dto, 'registered');
  }
}

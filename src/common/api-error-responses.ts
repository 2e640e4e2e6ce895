import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { ErrorBody, reason } from './http-error.filter';

/** The body of every error answered by the JSON API (see HttpErrorFilter). */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ type: 'integer', description: 'The HTTP status code, repeated', example: 400 })
  statusCode!: number;

  @ApiProperty({ description: 'The reason phrase of the status', example: 'Bad Request' })
  error!: string;

  @ApiProperty({ description: 'What went wrong; for an invalid request it names the field', example: 'email must be a valid e-mail address' })
  message!: string;
}

/** What each error status means on this API (unless an operation says it more precisely), with a message it answers. */
const ERRORS = {
  400: { meaning: 'A field or parameter is missing or invalid; the message names it', message: 'email must be a valid e-mail address' },
  401: { meaning: 'Missing or wrong admin API key', message: 'A valid admin API key is required' },
  404: { meaning: 'Not found', message: 'No building with this id' },
  409: { meaning: 'Another change of the same building is waiting', message: 'Another registration of this building is waiting for its current holder until 2026-12-16T08:00:00.000Z; please try again after that' },
  410: { meaning: 'The link has expired', message: 'This confirmation link has expired; please register again to receive a new one' },
  413: { meaning: 'The request body is larger than 1 MB', message: 'The request body is larger than 1 MB' },
  422: { meaning: 'The address is outside the area this service covers', message: 'This address is outside the area this service covers' },
  429: { meaning: 'Too many requests from this client; Retry-After says when to try again', message: 'Too many requests from this client; try again after the number of seconds in Retry-After' },
  503: { meaning: 'The database is unavailable; try again shortly', message: 'The database is unavailable; please try again shortly' },
} as const;

export type ErrorStatus = keyof typeof ERRORS;

/** One documented error response with the shared `{ statusCode, error, message }` schema and an example of it. */
export function ApiErrorResponse(status: ErrorStatus, description: string = ERRORS[status].meaning): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status,
    description,
    type: ErrorResponse,
    example: { statusCode: status, error: reason(status), message: ERRORS[status].message },
  });
}

/** `@ApiErrorResponses(400, 429)`: the error responses an operation can give, with their usual meaning. */
export function ApiErrorResponses(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiErrorResponse(status)));
}

/** The pages opened from e-mail links answer errors with a German HTML page (HtmlErrorFilter), not JSON. */
export function ApiHtmlErrorResponses(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: `${ERRORS[status].meaning} (an HTML page)`, content: { 'text/html': { schema: { type: 'string' } } } }),
    ),
  );
}

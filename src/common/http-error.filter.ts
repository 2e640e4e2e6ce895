import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-errors';
import { redactPersonalData } from './personal-data';

export type ErrorBody = { statusCode: number; error: string; message: string };

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reason(status: number): string {
  return REASON[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

/** Errors raised by body-parser before Nest sees the request (malformed JSON, too large, bad charset). */
function bodyParserError(exception: unknown): { status: number; message: string } | undefined {
  const candidate = exception as { type?: unknown; status?: unknown };
  if (typeof candidate?.type !== 'string' || typeof candidate.status !== 'number') return undefined;
  const messages: Record<string, string> = {
    'entity.parse.failed': 'The request body is not valid JSON',
    'entity.too.large': 'The request body is larger than 1 MB',
    'encoding.unsupported': 'The request body has an unsupported encoding',
    'charset.unsupported': 'The request body has an unsupported charset',
    'request.aborted': 'The request was aborted',
    'entity.verify.failed': 'The request body could not be read',
    'request.size.invalid': 'The request body size does not match Content-Length',
    'parameters.too.many': 'The request body has too many parameters',
  };
  return { status: candidate.status, message: messages[candidate.type] ?? 'The request body could not be read' };
}

/** Turns any error into the one JSON shape `{ statusCode, error, message }`, never a stack trace. */
export function toErrorBody(exception: unknown, logger: Logger): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { statusCode: status, error: reason(status), message: messageOf(exception.getResponse(), reason(status)) };
  }
  const parserError = bodyParserError(exception);
  if (parserError) {
    return { statusCode: parserError.status, error: reason(parserError.status), message: parserError.message };
  }
  if (isDatabaseUnavailable(exception)) {
    logger.warn(`Database unavailable: ${redactPersonalData(String((exception as Error).message))}`);
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: reason(503),
      message: 'The database is unavailable; please try again shortly',
    };
  }
  const error = exception as Error;
  logger.error(redactPersonalData(`Unhandled error: ${error?.name}: ${error?.message}`), error?.stack && redactPersonalData(error.stack));
  return { statusCode: 500, error: reason(500), message: 'Internal server error' };
}

/**
 * Routes whose clients expect another error shape (the previous version's page). A feature module
 * provides one; errors raised before routing (body-parser: malformed JSON, 413) reach only the
 * global filter, which then answers in that shape on those routes.
 */
export abstract class RouteErrorShape {
  abstract appliesTo(url: string): boolean;
  abstract body(error: ErrorBody): unknown;
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(@Optional() private readonly routeShape?: RouteErrorShape) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const body = toErrorBody(exception, this.logger);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (body.statusCode === 503) response.setHeader('Retry-After', '5');
    if (this.routeShape?.appliesTo(context.getRequest<Request>().originalUrl)) {
      response.status(body.statusCode).json(this.routeShape.body(body));
      return;
    }
    response.status(body.statusCode).json(body);
  }
}

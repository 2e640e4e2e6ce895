import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { Env } from '../config/env.validation';
import { toErrorBody } from '../common/http-error.filter';
import { errorPage } from './pages';

/** For the pages opened from e-mail links: the same status codes as the API, as a German page. */
@Catch()
export class HtmlErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HtmlError');

  constructor(private readonly config: ConfigService<Env, true>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { statusCode } = toErrorBody(exception, this.logger);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(statusCode).type('html').send(errorPage(this.config.get('APP_NAME', { infer: true }), statusCode));
  }
}

import { Body, Controller, Get, Header, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Response } from 'express';
import { ApiHtmlErrorResponses } from '../common/api-error-responses';
import { RateBudget } from '../rate-limits/rate-budget.decorator';
import { HtmlErrorFilter } from '../registration/html-error.filter';
import { Env } from '../config/env.validation';
import { UnsubscribeRequestDto } from '../registration/dto/unsubscribe-request.dto';
import { ErasureService } from '../registration/erasure.service';
import { unsubscribeFormPage, unsubscribeRequestedPage } from './legacy-pages';

/** The previous version's unsubscribe form: now it mails a link instead of deleting by address. */
@ApiTags('legacy')
@ApiProduces('text/html')
@ApiHtmlErrorResponses(429)
@UseFilters(HtmlErrorFilter)
@Controller('unsubscribe')
export class LegacyPagesController {
  constructor(
    private readonly erasure: ErasureService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  private get appName(): string {
    return this.config.get('APP_NAME', { infer: true });
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ deprecated: true, summary: 'Form asking for the e-mail address (previous version)', description: 'Use POST /api/unsubscribe/request instead.' })
  form(): string {
    return unsubscribeFormPage(this.appName);
  }

  @Post()
  @HttpCode(200)
  @RateBudget('mail-request')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: UnsubscribeRequestDto })
  @ApiHtmlErrorResponses(400)
  @ApiOperation({
    deprecated: true,
    summary: 'Ask for an unsubscribe link (form field email, previous version)',
    description: 'Answers with a page whether or not the address is registered. Use POST /api/unsubscribe/request instead.',
  })
  async request(@Body() body: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const dto = plainToInstance(UnsubscribeRequestDto, { email: body?.email });
    if ((await validate(dto)).length > 0) {
      response.status(400);
      return unsubscribeFormPage(this.appName, 'Bitte geben Sie eine gültige E-Mail-Adresse ein.');
    }
    await this.erasure.requestUnsubscribeLinks(dto.email);
    return unsubscribeRequestedPage(this.appName);
  }
}

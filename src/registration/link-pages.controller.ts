import { Controller, Get, Header, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiHtmlErrorResponses } from '../common/api-error-responses';
import { HtmlErrorFilter } from './html-error.filter';
import { Env } from '../config/env.validation';
import { assertWellFormedToken, ConfirmationService } from './confirmation.service';
import { ErasureService } from './erasure.service';
import { confirmedPage, confirmPromptPage, unsubscribedPage, unsubscribePromptPage } from './pages';
import { RateBudget } from '../rate-limits/rate-budget.decorator';

const TOKEN_PARAM = { name: 'token', description: 'The token from the e-mail link', example: 'q3Xz0bJt1mYxG8n2lq7QhZxv0uJ3o5m8Jc1kR2sT4wE' };

/** The pages behind the links in e-mails: GET shows a button, POST acts. */
@ApiTags('pages')
@ApiProduces('text/html')
@ApiHtmlErrorResponses(400, 429)
@Controller()
@UseFilters(HtmlErrorFilter)
@RateBudget('links')
export class LinkPagesController {
  constructor(
    private readonly confirmation: ConfirmationService,
    private readonly erasure: ErasureService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  private get appName(): string {
    return this.config.get('APP_NAME', { infer: true });
  }

  @Get('confirm/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Page with a button to confirm participation (does not confirm by itself)' })
  @ApiParam(TOKEN_PARAM)
  confirmPrompt(@Param('token') token: string): string {
    assertWellFormedToken(token);
    return confirmPromptPage(this.appName, `/confirm/${token}`);
  }

  @Post('confirm/:token')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Confirm participation (the button of the confirmation page)' })
  @ApiParam(TOKEN_PARAM)
  @ApiHtmlErrorResponses(404, 410)
  async confirm(@Param('token') token: string): Promise<string> {
    const result = await this.confirmation.confirm(token);
    return confirmedPage(this.appName, result.already_verified);
  }

  @Get('unsubscribe/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Page with a button to unsubscribe and delete all data (does not delete by itself)' })
  @ApiParam(TOKEN_PARAM)
  unsubscribePrompt(@Param('token') token: string): string {
    assertWellFormedToken(token);
    return unsubscribePromptPage(this.appName, `/unsubscribe/${token}`);
  }

  @Post('unsubscribe/:token')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Unsubscribe and delete all data (the button of the unsubscribe page)' })
  @ApiParam(TOKEN_PARAM)
  @ApiHtmlErrorResponses(404)
  async unsubscribe(@Param('token') token: string): Promise<string> {
    await this.erasure.unsubscribe(token);
    return unsubscribedPage(this.appName);
  }
}

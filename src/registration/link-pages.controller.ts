import { BadRequestException, Controller, Get, Header, HttpCode, NotFoundException, Param, Post, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiHtmlErrorResponses } from '../common/api-error-responses';
import { HtmlErrorFilter } from './html-error.filter';
import { Env } from '../config/env.validation';
import { ConfirmationService } from './confirmation.service';
import { assertWellFormedToken } from './link-tokens';
import { ErasureService } from './erasure.service';
import { DisclosuresService } from './disclosures.service';
import { HandoverService } from './ownership/handover.service';
import { confirmedPage, confirmPromptPage, DisclosureLine, handoverDecidedPage, handoverPromptPage, unsubscribedPage, unsubscribePromptPage } from './pages';
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
    private readonly disclosures: DisclosuresService,
    private readonly handover: HandoverService,
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
  @ApiHtmlErrorResponses(404, 409, 410)
  async confirm(@Param('token') token: string): Promise<string> {
    const result = await this.confirmation.confirm(token);
    return confirmedPage(this.appName, result.already_verified, result.handover?.status === 'waiting' ? result.handover.applies_at : null);
  }

  @Get('unsubscribe/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Page with a button to unsubscribe and delete all data (does not delete by itself)',
    description: 'Also lists which neighbours received the contact details, and when.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiHtmlErrorResponses(404)
  async unsubscribePrompt(@Param('token') token: string): Promise<string> {
    const disclosures = await this.disclosuresOf(token);
    return unsubscribePromptPage(this.appName, `/unsubscribe/${token}`, disclosures);
  }

  /** A claim's link opens the same page (it withdraws the claim), which has nothing to list. */
  private async disclosuresOf(token: string): Promise<DisclosureLine[]> {
    try {
      return (await this.disclosures.forLink(token)).disclosures;
    } catch (error) {
      if (error instanceof NotFoundException) return [];
      throw error;
    }
  }

  @Get('handover/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Page with buttons to agree to or object to a handover of the registration (decides nothing by itself)' })
  @ApiParam(TOKEN_PARAM)
  handoverPrompt(@Param('token') token: string): string {
    assertWellFormedToken(token);
    return handoverPromptPage(this.appName, `/handover/${token}`);
  }

  @Post('handover/:token/:decision')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Agree or object (the buttons of the handover page)' })
  @ApiParam(TOKEN_PARAM)
  @ApiParam({ name: 'decision', enum: ['agree', 'object'], example: 'object' })
  @ApiHtmlErrorResponses(404)
  async decideHandover(@Param('token') token: string, @Param('decision') decision: string): Promise<string> {
    if (decision !== 'agree' && decision !== 'object') throw new BadRequestException('decision must be agree or object');
    return handoverDecidedPage(this.appName, await this.handover.decide(token, decision));
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

import { ExecutionContext, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { Response } from 'express';
import { redactPersonalData } from '../common/personal-data';

/**
 * The library's guard with two answers of our own: a 429 carries the standard `Retry-After` whatever
 * the budget is called, and an unreachable counter store is a 503 (try again shortly) — not a 500,
 * and not a request let through unlimited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly storeLogger = new Logger('RateLimitStore');
  private storeFailing = false;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      const allowed = await super.handleRequest(request);
      this.storeAnswered();
      return allowed;
    } catch (error) {
      if (error instanceof ThrottlerException) {
        this.storeAnswered();
        throw error;
      }
      this.storeFailed(error);
      throw new ServiceUnavailableException('The rate-limit counters are unavailable; please try again shortly');
    }
  }

  /** The library names the header after the budget (`Retry-After-registration`); clients read `Retry-After`. */
  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }

  /** Logged once when the store fails and once when it answers again, not once per request. */
  private storeFailed(error: unknown): void {
    if (!this.storeFailing) this.storeLogger.warn(redactPersonalData(`Rate-limit counters unavailable, answering 503: ${(error as Error)?.message}`));
    this.storeFailing = true;
  }

  private storeAnswered(): void {
    if (this.storeFailing) this.storeLogger.log('Rate-limit counters answer again');
    this.storeFailing = false;
  }
}

import { CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateBudgetName } from './rate-budgets';

const RATE_BUDGET = 'rate-limits:budget';
const UNLIMITED = 'unlimited';

/** Counts the route (or every route of a controller) against a named budget instead of the default limit. */
export const RateBudget = (budget: Exclude<RateBudgetName, 'default'>): CustomDecorator<string> => SetMetadata(RATE_BUDGET, budget);

/**
 * No limit: for the cheap cached public reads, where the round trip to the shared counter store
 * would cost more than the answer itself.
 */
export const SkipRateLimit = (): CustomDecorator<string> => SetMetadata(RATE_BUDGET, UNLIMITED);

const reflector = new Reflector();

/** The budget a request counts against (the handler's, else its controller's, else `default`); undefined when unlimited. */
export function budgetOf(context: ExecutionContext): RateBudgetName | undefined {
  const declared = reflector.getAllAndOverride<RateBudgetName | typeof UNLIMITED | undefined>(RATE_BUDGET, [context.getHandler(), context.getClass()]);
  return declared === UNLIMITED ? undefined : (declared ?? 'default');
}

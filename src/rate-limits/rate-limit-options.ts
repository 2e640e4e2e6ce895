import { createHmac } from 'node:crypto';
import { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { deriveKey } from '../config/app-secret';
import { Env } from '../config/env.validation';
import { budgetOf } from './rate-budget.decorator';
import { budgetRate, RATE_BUDGETS } from './rate-budgets';

/**
 * One throttler per budget, each applying only to the routes that count against it, so a request
 * costs one round trip to the store. The client is `req.ip` (what TRUST_PROXY makes of the peer and
 * X-Forwarded-For; IPv6 grouped by /64 by the library), keyed with the server secret: the store
 * holds no address, and a leaked key cannot be reversed by trying all IPv4 addresses.
 */
export function rateLimitOptions(env: Env, storage: ThrottlerStorage): ThrottlerModuleOptions {
  if (!env.APP_SECRET) throw new Error('The rate limits need the resolved APP_SECRET');
  const clientKey = deriveKey(env.APP_SECRET, 'rate-limit-client');
  return {
    storage,
    throttlers: RATE_BUDGETS.map((name) => ({ name, ...budgetRate(env, name), skipIf: (context) => budgetOf(context) !== name })),
    generateKey: (_context, client, budget) => createHmac('sha256', clientKey).update(`${budget}\n${client}`).digest('hex'),
    errorMessage: 'Too many requests from this client; try again after the number of seconds in Retry-After',
  };
}

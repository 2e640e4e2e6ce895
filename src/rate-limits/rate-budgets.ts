import { durationToMs, Env } from '../config/env.validation';

/**
 * The named budgets. Each is one counter per client, shared by every route that declares it, so a
 * client cannot multiply its allowance by spreading its requests over equivalent routes; `default`
 * covers every route that declares no budget.
 */
export const RATE_BUDGETS = ['default', 'registration', 'lookup', 'autocomplete', 'links', 'mail-request', 'map'] as const;
export type RateBudgetName = (typeof RATE_BUDGETS)[number];

const SETTINGS = {
  default: 'RATE_LIMIT_DEFAULT',
  registration: 'RATE_LIMIT_REGISTRATION',
  lookup: 'RATE_LIMIT_LOOKUP',
  autocomplete: 'RATE_LIMIT_AUTOCOMPLETE',
  links: 'RATE_LIMIT_LINKS',
  'mail-request': 'RATE_LIMIT_MAIL_REQUEST',
  map: 'RATE_LIMIT_MAP',
} as const satisfies Record<RateBudgetName, keyof Env>;

/** A budget's limit and window (ms), from its validated setting such as `10/1h`. */
export function budgetRate(env: Env, budget: RateBudgetName): { limit: number; ttl: number } {
  const [limit, window] = env[SETTINGS[budget]].split('/');
  return { limit: Number(limit), ttl: durationToMs(window) };
}

import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
  ValidationError,
} from 'class-validator';
import { addressAreaProblem } from './address-area';
import { parseTrustProxy } from './trust-proxy';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return value;
};

const toNumber = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? value : parsed;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const DURATION_PATTERN = /^\d+(ms|s|m|h|d)?$/;
export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type DatabaseSslMode = (typeof DATABASE_SSL_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const ADDRESS_DIRECTORIES = ['geoadmin', 'offline'] as const;
export type AddressDirectoryKind = (typeof ADDRESS_DIRECTORIES)[number];

/** ADDRESS_AREA: comma-separated postcodes, postcode ranges and canton abbreviations. */
function IsAddressArea(): PropertyDecorator {
  return ValidateBy({
    name: 'isAddressArea',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && addressAreaProblem(value) === undefined,
      defaultMessage: (args) =>
        `ADDRESS_AREA must be comma-separated postcodes (5400), postcode ranges (5000-5999) or canton abbreviations (AG): ` +
        (typeof args?.value === 'string' ? addressAreaProblem(args.value) : 'not text'),
    },
  });
}

/** Requests per window, e.g. `10/1h`: a limit of at least 1 and a duration with its unit. */
const RATE_PATTERN = /^[1-9]\d{0,5}\/[1-9]\d{0,8}(ms|s|m|h|d)$/;

const mailLimitMessage = (name: string): string => `${name} must be e-mails per recipient and window such as 3/1d (limit 1–999999; window unit ms, s, m, h or d)`;
const rateMessage = (name: string): string => `${name} must be requests per window such as 10/1h (limit 1–999999; window unit ms, s, m, h or d)`;

const TRUST_PROXY_MESSAGE =
  'TRUST_PROXY must be a hop count (0 = no proxy in front, 1 = one reverse proxy) or a comma-separated list of proxy addresses/CIDRs such as 10.0.0.5,10.1.0.0/16';

function IsTrustProxy(): PropertyDecorator {
  return ValidateBy({
    name: 'isTrustProxy',
    validator: { validate: (value) => typeof value === 'string' && parseTrustProxy(value) !== undefined, defaultMessage: () => TRUST_PROXY_MESSAGE },
  });
}
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Every setting the service reads, with its default. Validated once at start-up so that a
 * wrong value stops the process with a message naming the variable, instead of failing later.
 */
export class Env {
  @Transform(toNumber)
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL, or unset for the embedded database',
  })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(DATABASE_SSL_MODES, { message: `DATABASE_SSL must be one of: ${DATABASE_SSL_MODES.join(', ')}` })
  DATABASE_SSL?: DatabaseSslMode;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: 'DATABASE_SSL_CA must be a PEM certificate or a path to one' })
  DATABASE_SSL_CA?: string;

  @Transform(toNumber)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer between 1 and 100' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be an integer between 1 and 100' })
  @Max(100, { message: 'DATABASE_POOL_SIZE must be an integer between 1 and 100' })
  DATABASE_POOL_SIZE = 10;

  @Transform(toNumber)
  @IsInt({ message: 'DATABASE_CONNECT_TIMEOUT_MS must be an integer between 100 and 60000' })
  @Min(100, { message: 'DATABASE_CONNECT_TIMEOUT_MS must be an integer between 100 and 60000' })
  @Max(60000, { message: 'DATABASE_CONNECT_TIMEOUT_MS must be an integer between 100 and 60000' })
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must be a directory path' })
  DATA_DIR = './data';

  @Transform(toBoolean)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'APP_BASE_URL must be an http(s) URL such as https://leg.example.ch' },
  )
  APP_BASE_URL = 'http://localhost:3000';

  @IsString()
  @MinLength(1, { message: 'APP_NAME must not be empty' })
  APP_NAME = 'LEG Match';

  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(32, { message: 'APP_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)' })
  APP_SECRET?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `auto`: pretty lines on a terminal, JSON lines when stdout is a pipe or a file. */
  @IsIn(LOG_FORMATS, { message: `LOG_FORMAT must be one of: ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT: LogFormat = 'auto';

  @IsString()
  CORS_ORIGINS = '';

  @Transform(toNumber)
  @IsInt({ message: 'SHUTDOWN_GRACE_MS must be an integer between 0 and 120000' })
  @Min(0, { message: 'SHUTDOWN_GRACE_MS must be an integer between 0 and 120000' })
  @Max(120000, { message: 'SHUTDOWN_GRACE_MS must be an integer between 0 and 120000' })
  SHUTDOWN_GRACE_MS = 10000;

  /** Which peers may say who the client is (X-Forwarded-For): the rate limits count per `req.ip`. */
  @IsTrustProxy()
  TRUST_PROXY = '0';

  @Transform(toBoolean)
  @IsBoolean({ message: 'RATE_LIMIT_ENABLED must be true or false' })
  RATE_LIMIT_ENABLED = true;

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_DEFAULT') })
  RATE_LIMIT_DEFAULT = '120/1m';

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_REGISTRATION') })
  RATE_LIMIT_REGISTRATION = '10/1h';

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_LOOKUP') })
  RATE_LIMIT_LOOKUP = '30/1m';

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_AUTOCOMPLETE') })
  RATE_LIMIT_AUTOCOMPLETE = '120/1m';

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_MAP') })
  RATE_LIMIT_MAP = '600/1m';

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_LINKS') })
  RATE_LIMIT_LINKS = '10/1m';

  @Matches(RATE_PATTERN, { message: rateMessage('RATE_LIMIT_MAIL_REQUEST') })
  RATE_LIMIT_MAIL_REQUEST = '5/1h';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL, or unset to keep the rate-limit counters in PostgreSQL' })
  REDIS_URL?: string;

  @Matches(DURATION_PATTERN, { message: 'VERIFICATION_TOKEN_TTL must be a duration such as 30d, 12h, 90m or 3600s' })
  VERIFICATION_TOKEN_TTL = '30d';

  @Transform(toBoolean)
  @IsBoolean({ message: 'TOKEN_PURGE_ENABLED must be true or false' })
  TOKEN_PURGE_ENABLED = true;

  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'TOKEN_PURGE_CRON must be a cron expression such as "0 * * * *"' })
  TOKEN_PURGE_CRON = '0 * * * *';

  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'HOUSEKEEPING_CRON must be a cron expression such as "*/15 * * * *"' })
  HOUSEKEEPING_CRON = '*/15 * * * *';

  @Transform(toNumber)
  @IsInt({ message: 'MAX_REGISTRATIONS_PER_MAILBOX must be an integer between 1 and 100' })
  @Min(1, { message: 'MAX_REGISTRATIONS_PER_MAILBOX must be an integer between 1 and 100' })
  @Max(100, { message: 'MAX_REGISTRATIONS_PER_MAILBOX must be an integer between 1 and 100' })
  MAX_REGISTRATIONS_PER_MAILBOX = 3;

  @Matches(DURATION_PATTERN, { message: 'HANDOVER_WAIT must be a duration such as 14d, 12h, 90m or 3600s' })
  HANDOVER_WAIT = '14d';

  @Matches(RATE_PATTERN, { message: mailLimitMessage('MAIL_LIMIT_LINKS') })
  MAIL_LIMIT_LINKS = '3/1d';

  @Matches(RATE_PATTERN, { message: mailLimitMessage('MAIL_LIMIT_HANDOVER') })
  MAIL_LIMIT_HANDOVER = '3/30d';

  @Matches(RATE_PATTERN, { message: mailLimitMessage('MAIL_LIMIT_NEIGHBOURS') })
  MAIL_LIMIT_NEIGHBOURS = '5/1d';

  @Matches(RATE_PATTERN, { message: mailLimitMessage('MAIL_LIMIT_OVERVIEWS') })
  MAIL_LIMIT_OVERVIEWS = '10/1d';

  @Matches(DURATION_PATTERN, { message: 'MAIL_QUIET_PERIOD must be a duration such as 2m, 30s or 0' })
  MAIL_QUIET_PERIOD = '1m';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3, { message: 'MAIL_FROM must be an address such as "LEG Match <noreply@example.ch>"' })
  MAIL_FROM = 'LEG Match <noreply@leg-match.local>';

  @Transform(toNumber)
  @IsInt({ message: 'MAIL_POLL_INTERVAL_MS must be an integer between 50 and 600000' })
  @Min(50, { message: 'MAIL_POLL_INTERVAL_MS must be an integer between 50 and 600000' })
  @Max(600000, { message: 'MAIL_POLL_INTERVAL_MS must be an integer between 50 and 600000' })
  MAIL_POLL_INTERVAL_MS = 2000;

  @Transform(toBoolean)
  @IsBoolean({ message: 'MAIL_WORKER_ENABLED must be true or false' })
  MAIL_WORKER_ENABLED = true;

  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(16, { message: 'ADMIN_API_KEY must be at least 16 characters, or unset to turn the admin API off' })
  ADMIN_API_KEY?: string;

  @Transform(toNumber)
  @IsNumber({}, { message: 'CLUSTER_RADIUS_M must be a number of metres between 1 and 5000' })
  @Min(1, { message: 'CLUSTER_RADIUS_M must be a number of metres between 1 and 5000' })
  @Max(5000, { message: 'CLUSTER_RADIUS_M must be a number of metres between 1 and 5000' })
  CLUSTER_RADIUS_M = 150;

  @Transform(toNumber)
  @IsInt({ message: 'MIN_COMMUNITY_SIZE must be an integer between 2 and 1000' })
  @Min(2, { message: 'MIN_COMMUNITY_SIZE must be an integer between 2 and 1000' })
  @Max(1000, { message: 'MIN_COMMUNITY_SIZE must be an integer between 2 and 1000' })
  MIN_COMMUNITY_SIZE = 2;

  @Transform(toNumber)
  @IsInt({ message: 'CLUSTER_RECOMPUTE_DEBOUNCE_MS must be an integer between 0 and 600000' })
  @Min(0, { message: 'CLUSTER_RECOMPUTE_DEBOUNCE_MS must be an integer between 0 and 600000' })
  @Max(600000, { message: 'CLUSTER_RECOMPUTE_DEBOUNCE_MS must be an integer between 0 and 600000' })
  CLUSTER_RECOMPUTE_DEBOUNCE_MS = 2000;

  @Transform(toNumber)
  @IsInt({ message: 'CLUSTER_RECOMPUTE_MAX_WAIT_MS must be an integer between 0 and 600000' })
  @Min(0, { message: 'CLUSTER_RECOMPUTE_MAX_WAIT_MS must be an integer between 0 and 600000' })
  @Max(600000, { message: 'CLUSTER_RECOMPUTE_MAX_WAIT_MS must be an integer between 0 and 600000' })
  CLUSTER_RECOMPUTE_MAX_WAIT_MS = 30000;

  @Transform(toNumber)
  @IsNumber({}, { message: 'ANONYMITY_RADIUS_M must be a number of metres between 10 and 2000' })
  @Min(10, { message: 'ANONYMITY_RADIUS_M must be a number of metres between 10 and 2000' })
  @Max(2000, { message: 'ANONYMITY_RADIUS_M must be a number of metres between 10 and 2000' })
  ANONYMITY_RADIUS_M = 120;

  @Transform(toNumber)
  @IsInt({ message: 'CONTACT_LIST_SIZE must be an integer between 2 and 500' })
  @Min(2, { message: 'CONTACT_LIST_SIZE must be an integer between 2 and 500' })
  @Max(500, { message: 'CONTACT_LIST_SIZE must be an integer between 2 and 500' })
  CONTACT_LIST_SIZE = 50;

  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'COMMUNITY_CONSISTENCY_CRON must be a cron expression such as "30 3 * * *"' })
  COMMUNITY_CONSISTENCY_CRON = '30 3 * * *';

  @Matches(/^(off|(\S+\s+){4,5}\S+)$/, { message: 'DATABASE_VACUUM_CRON must be a cron expression such as "15 4 * * *", or off' })
  DATABASE_VACUUM_CRON = '15 4 * * *';

  /** Unset: see `defaultAddressDirectory` (filled in by validateEnv). */
  @Transform(emptyToUndefined)
  @IsIn(ADDRESS_DIRECTORIES, { message: `ADDRESS_DIRECTORY must be one of: ${ADDRESS_DIRECTORIES.join(', ')}` })
  ADDRESS_DIRECTORY!: AddressDirectoryKind;

  @IsAddressArea()
  ADDRESS_AREA = '5000-5999';

  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'GEOADMIN_API_URL must be an http(s) URL such as https://api3.geo.admin.ch' },
  )
  GEOADMIN_API_URL = 'https://api3.geo.admin.ch';

  @Transform(toNumber)
  @IsInt({ message: 'GEOADMIN_TIMEOUT_MS must be an integer between 100 and 60000' })
  @Min(100, { message: 'GEOADMIN_TIMEOUT_MS must be an integer between 100 and 60000' })
  @Max(60000, { message: 'GEOADMIN_TIMEOUT_MS must be an integer between 100 and 60000' })
  GEOADMIN_TIMEOUT_MS = 4000;

  @Matches(DURATION_PATTERN, { message: 'ADDRESS_CACHE_TTL must be a duration such as 7d, 12h, 90m or 3600s' })
  ADDRESS_CACHE_TTL = '7d';
}

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

function describeProblems(errors: ValidationError[]): string[] {
  return [...new Set(errors.flatMap((error) => Object.values(error.constraints ?? {})))];
}

/**
 * The address directory when ADDRESS_DIRECTORY is unset: `geoadmin` (the federal geodata) for a deployment
 * on a PostgreSQL server, `offline` (the demo gazetteer) on the embedded database, which is how the service
 * is tried out, often on a machine that cannot reach geo.admin.ch. Setting the variable always wins.
 */
export function defaultAddressDirectory(databaseUrl: string | undefined): AddressDirectoryKind {
  return databaseUrl ? 'geoadmin' : 'offline';
}

/** Validates the process environment; throws InvalidConfigurationError naming each bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const known = Object.keys(new Env());
  const relevant = Object.fromEntries(Object.entries(raw).filter(([key]) => known.includes(key)));
  const env = plainToInstance(Env, relevant, { exposeDefaultValues: true });
  env.ADDRESS_DIRECTORY ??= defaultAddressDirectory(env.DATABASE_URL);
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) throw new InvalidConfigurationError(describeProblems(errors));
  return env;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "30d", "12h", "90m", "3600s", "500ms" or plain seconds into milliseconds. */
export function durationToMs(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(duration);
  if (!match) throw new InvalidConfigurationError([`not a duration: ${duration}`]);
  return Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 's'];
}

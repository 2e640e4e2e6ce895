import { existsSync } from 'node:fs';
import { Env, validateEnv } from './env.validation';

/** Reads `.env` (when present, without overriding the real environment) and validates the result. */
export function loadEnv(envFile = '.env'): Env {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return validateEnv(process.env);
}

import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Env, InvalidConfigurationError } from './env.validation';

const SECRET_FILE = 'app-secret';

/**
 * The server secret behind map jitter and the encrypted mail outbox. A deployment on a database
 * server must set APP_SECRET (a database copy alone must not reveal links or exact positions); the
 * embedded mode keeps a generated one beside its data so that zero set-up still works.
 */
export function resolveAppSecret(env: Env, mode: 'server' | 'embedded', dataDir: string): string {
  if (env.APP_SECRET) return env.APP_SECRET;
  if (mode === 'server') {
    throw new InvalidConfigurationError([
      'APP_SECRET must be set (at least 32 characters, e.g. openssl rand -hex 32) when DATABASE_URL is set',
    ]);
  }
  const file = join(dataDir, SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** A key for one purpose, so that no two features share key material. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`leg-match:${purpose}`).digest();
}

import { createHash, randomBytes } from 'node:crypto';

/** Confirmation links expire; unsubscribe links last as long as the registration. */
export const TOKEN_KINDS = ['verification', 'unsubscribe'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** 32 random bytes, base64url: 256 bits, safe in a URL path. */
const TOKEN_BYTES = 32;
const CURRENT_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** Links sent by the previous version carry UUIDs; they stay valid after the import. */
const LEGACY_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && (CURRENT_FORMAT.test(token) || LEGACY_FORMAT.test(token));
}

/** Legacy UUIDs are compared case-insensitively, as the previous version's links may differ in case. */
export function hashToken(token: string): string {
  const canonical = LEGACY_FORMAT.test(token) ? token.toLowerCase() : token;
  return createHash('sha256').update(canonical).digest('hex');
}

import { hashToken, TokenKind, TOKEN_KINDS } from '../tokens/token-format';
import { isLegacyToken, isPlainObject, isTokenHash, LegacyToken, splitTokenKey, toDate } from './legacy-format';

export type TokenProblem = { kind: TokenKind | 'token'; key: string; reason: string };

/** The token-related sections of both files, as read. */
export type TokenSections = {
  verification_tokens?: unknown[];
  unsubscribe_tokens?: unknown[];
  created_at?: unknown[];
  token_history?: unknown[];
  token_hashes?: unknown[];
};

function entriesOf(values: unknown[] | undefined): [string, unknown][] {
  return (values ?? []).flatMap((value) => (isPlainObject(value) ? Object.entries(value) : []));
}

/**
 * Merges the tokens of database.json and of the token store (and exported hashes) into one list,
 * keyed by hash: created_at from the token store, token_history entries as used verification
 * tokens, verification expiry = created_at (or the import time) + TTL. Malformed entries are reported.
 */
export function collectLegacyTokens(sections: TokenSections, ttlMs: number, now: Date): { tokens: LegacyToken[]; problems: TokenProblem[] } {
  const problems: TokenProblem[] = [];
  const createdAt = new Map<string, Date>();
  for (const [key, value] of entriesOf(sections.created_at)) {
    const split = splitTokenKey(key);
    const date = toDate(value);
    if (split && date && isLegacyToken(split.token)) createdAt.set(`${split.kind}:${hashToken(split.token)}`, date);
  }
  const tokens = new Map<string, LegacyToken>();
  const add = (kind: TokenKind, token: string, buildingId: unknown, used: boolean): void => {
    if (!isLegacyToken(token)) {
      problems.push({ kind, key: token.slice(0, 12), reason: 'not a token of the expected format' });
      return;
    }
    if (typeof buildingId !== 'string' || buildingId === '') {
      problems.push({ kind, key: token.slice(0, 8), reason: 'building_id is missing' });
      return;
    }
    const hash = hashToken(token);
    const created = createdAt.get(`${kind}:${hash}`) ?? null;
    const previous = tokens.get(hash);
    const usedAt = used || previous?.usedAt ? (previous?.usedAt ?? created ?? now) : null;
    tokens.set(hash, { hash, kind, buildingId, createdAt: created, expiresAt: null, usedAt, expiresGiven: false });
  };
  for (const kind of TOKEN_KINDS) {
    for (const [token, value] of entriesOf(sections[`${kind}_tokens`])) add(kind, token, isPlainObject(value) ? value.building_id : value, false);
  }
  for (const [key, buildingId] of entriesOf(sections.token_history)) {
    const split = splitTokenKey(key);
    if (!split) problems.push({ kind: 'token', key, reason: 'token_history key is not verification_<token>' });
    else add(split.kind, split.token, buildingId, split.kind === 'verification');
  }
  for (const [kind, byHash] of entriesOf(sections.token_hashes)) {
    if (!(TOKEN_KINDS as readonly string[]).includes(kind) || !isPlainObject(byHash)) continue;
    for (const [hash, value] of Object.entries(byHash)) {
      if (!isTokenHash(hash) || !isPlainObject(value) || typeof value.building_id !== 'string') {
        problems.push({ kind: kind as TokenKind, key: hash.slice(0, 12), reason: 'not a SHA-256 hash with a building_id' });
        continue;
      }
      tokens.set(hash, {
        hash,
        kind: kind as TokenKind,
        buildingId: value.building_id,
        createdAt: toDate(value.created_at),
        expiresAt: toDate(value.expires_at),
        usedAt: toDate(value.used_at),
        expiresGiven: kind === 'verification' && toDate(value.expires_at) !== null,
      });
    }
  }
  for (const token of tokens.values()) {
    if (token.kind === 'verification' && !token.expiresGiven) token.expiresAt = new Date((token.createdAt ?? now).getTime() + ttlMs);
    if (token.kind === 'unsubscribe') token.expiresAt = null;
  }
  return { tokens: [...tokens.values()], problems };
}

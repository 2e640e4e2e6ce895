import { hashToken, TokenKind, TOKEN_KINDS } from '../tokens/token-format';
import { isLegacyToken, isPlainObject, isTokenHash, LegacyToken, splitTokenKey, toDate } from './legacy-format';

export type TokenProblem = { kind: TokenKind | 'token'; key: string; reason: string };

/** The sections of either file that hold tokens; their entries go to LegacyTokenCollector.add. */
export const TOKEN_SECTIONS: ReadonlySet<string> = new Set(['verification_tokens', 'unsubscribe_tokens', 'created_at', 'token_history', 'token_hashes']);

/** A clear token of the previous version, as far as the entries read so far tell. */
type ClearToken = { kind: TokenKind; buildingId: string; used: boolean };

/**
 * Merges the tokens of database.json and of the token store (and exported hashes), entry by entry in
 * whatever order the files have them, keyed by hash: created_at from the token store, token_history
 * entries as used verification tokens, verification expiry = created_at (or the import time) + TTL,
 * exported hashes as they are (they win over a clear token of the same hash). Malformed entries are
 * reported. Only the hash, kind, building and a date per token are kept, never a section as read.
 */
export class LegacyTokenCollector {
  readonly problems: TokenProblem[] = [];
  private readonly createdAt = new Map<string, Date>();
  private readonly clear = new Map<string, ClearToken>();
  private readonly exported = new Map<string, LegacyToken>();

  /** One entry of a token section (for token_hashes: a hash, its kind as group). */
  add(section: string, key: string, value: unknown, group?: string): void {
    switch (section) {
      case 'created_at': {
        const split = splitTokenKey(key);
        const date = toDate(value);
        if (split && date && isLegacyToken(split.token)) this.createdAt.set(`${split.kind}:${hashToken(split.token)}`, date);
        return;
      }
      case 'verification_tokens':
      case 'unsubscribe_tokens':
        this.addClear(section === 'verification_tokens' ? 'verification' : 'unsubscribe', key, isPlainObject(value) ? value.building_id : value, false);
        return;
      case 'token_history': {
        const split = splitTokenKey(key);
        if (!split) this.problems.push({ kind: 'token', key, reason: 'token_history key is not verification_<token>' });
        else this.addClear(split.kind, split.token, value, split.kind === 'verification');
        return;
      }
      case 'token_hashes':
        this.addExported(group ?? '', key, value);
        return;
    }
  }

  /** The merged tokens, one by one: the caller writes them in batches. */
  *tokens(ttlMs: number, now: Date): Generator<LegacyToken> {
    for (const [hash, token] of this.clear) {
      if (this.exported.has(hash)) continue;
      const created = this.createdAt.get(`${token.kind}:${hash}`) ?? null;
      const expiresAt = token.kind === 'verification' ? new Date((created ?? now).getTime() + ttlMs) : null;
      yield { hash, kind: token.kind, buildingId: token.buildingId, createdAt: created, expiresAt, usedAt: token.used ? (created ?? now) : null, expiresGiven: false };
    }
    for (const token of this.exported.values()) {
      if (token.kind === 'verification' && !token.expiresGiven) yield { ...token, expiresAt: new Date((token.createdAt ?? now).getTime() + ttlMs) };
      else if (token.kind === 'unsubscribe') yield { ...token, expiresAt: null };
      else yield token;
    }
  }

  private addClear(kind: TokenKind, token: string, buildingId: unknown, used: boolean): void {
    if (!isLegacyToken(token)) {
      this.problems.push({ kind, key: token.slice(0, 12), reason: 'not a token of the expected format' });
      return;
    }
    if (typeof buildingId !== 'string' || buildingId === '') {
      this.problems.push({ kind, key: token.slice(0, 8), reason: 'building_id is missing' });
      return;
    }
    const hash = hashToken(token);
    // A later entry of the same token names its kind and building; having been used is never undone.
    this.clear.set(hash, { kind, buildingId, used: used || (this.clear.get(hash)?.used ?? false) });
  }

  private addExported(kind: string, hash: string, value: unknown): void {
    if (!(TOKEN_KINDS as readonly string[]).includes(kind)) return;
    if (!isTokenHash(hash) || !isPlainObject(value) || typeof value.building_id !== 'string') {
      this.problems.push({ kind: kind as TokenKind, key: hash.slice(0, 12), reason: 'not a SHA-256 hash with a building_id' });
      return;
    }
    this.exported.set(hash, {
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

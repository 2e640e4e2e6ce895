import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { StatementPart } from '../database/statement-parts';
import { generateToken, hashToken, TokenKind } from './token-format';
import { Token } from './token.entity';

export type IssuedToken = { token: string; hash: string };

const ISSUE_BATCH = 5000;

/** Constant SQL for the statements every registration runs: no query building per request. */
const INSERT_TOKEN = 'INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($1, $2, $3, $4)';
/**
 * A registration's links: the unused confirmation links revoked, the new pair inserted. In one
 * statement, the DELETE reads the statement's snapshot, so it cannot see (and revoke) the new link.
 * $1 building, $2 verification hash, $3 its expiry, $4 unsubscribe hash.
 */
const REVOKE_UNUSED_VERIFICATION = "DELETE FROM tokens WHERE building_id = $1 AND kind = 'verification' AND used_at IS NULL";
const INSERT_REGISTRATION_LINKS = `INSERT INTO tokens (token_hash, kind, building_id, expires_at) VALUES ($2, 'verification', $1, $3), ($4, 'unsubscribe', $1, NULL)
  RETURNING token_hash`;

/** The confirmation and unsubscribe links a registration mails. */
export type RegistrationLinks = { verification: IssuedToken; unsubscribe: IssuedToken };

/** A token known only by its hash (moved over from the previous version, or exported). */
export type TokenByHash = {
  hash: string;
  kind: TokenKind;
  buildingId: string;
  createdAt: Date | null;
  expiresAt: Date | null;
  usedAt: Date | null;
};

/** What writing a TokenByHash did: inserted, marked used, or nothing (already there as given). */
/** A stored link as its owner's callers see it. */
export type StoredLink = Pick<Token, 'tokenHash' | 'kind' | 'buildingId' | 'expiresAt' | 'usedAt'>;

export type TokenImportOutcome = 'imported' | 'updated' | 'unchanged';

@Injectable()
export class TokensService {
  /** Creates a token and stores only its hash; the clear token exists only in the returned value. */
  async issue(manager: EntityManager, buildingId: string, kind: TokenKind, expiresAt: Date | null): Promise<IssuedToken> {
    const token = generateToken();
    const hash = hashToken(token);
    await manager.query(INSERT_TOKEN, [hash, kind, buildingId, expiresAt]);
    return { token, hash };
  }

  /** One token of a kind for each building, in one statement; the clear tokens in the order given. */
  async issueMany(manager: EntityManager, buildingIds: readonly string[], kind: TokenKind, expiresAt: Date | null): Promise<IssuedToken[]> {
    const issued = buildingIds.map(() => {
      const token = generateToken();
      return { token, hash: hashToken(token) };
    });
    for (let start = 0; start < issued.length; start += ISSUE_BATCH) {
      const batch = issued.slice(start, start + ISSUE_BATCH);
      await manager.query(
        `INSERT INTO tokens (token_hash, kind, building_id, expires_at) SELECT hash, $3, building_id, $4 FROM unnest($1::varchar[], $2::varchar[]) AS t(hash, building_id)`,
        [batch.map((t) => t.hash), buildingIds.slice(start, start + ISSUE_BATCH), kind, expiresAt],
      );
    }
    return issued;
  }

  /** The buildings among the given ones that still have an unused confirmation link that has not expired. */
  async withLiveVerification(manager: EntityManager, buildingIds: readonly string[]): Promise<Set<string>> {
    if (buildingIds.length === 0) return new Set();
    const rows = await manager.query<{ building_id: string }[]>(
      `SELECT DISTINCT building_id FROM tokens
       WHERE building_id = ANY($1::varchar[]) AND kind = 'verification' AND used_at IS NULL AND expires_at >= now()`,
      [buildingIds],
    );
    return new Set(rows.map((row) => row.building_id));
  }

  /** Looks a token up by its clear value; the caller has checked the format first. */
  findByToken(manager: EntityManager, token: string, kind: TokenKind): Promise<StoredLink | null> {
    return manager.getRepository(Token).findOneBy({ tokenHash: hashToken(token), kind });
  }

  /** A fresh pair of links for a registration, not yet stored (see registrationLinksPart). */
  newRegistrationLinks(): RegistrationLinks {
    const verification = generateToken();
    const unsubscribe = generateToken();
    return { verification: { token: verification, hash: hashToken(verification) }, unsubscribe: { token: unsubscribe, hash: hashToken(unsubscribe) } };
  }

  /**
   * Stores a registration's links, the confirmation link valid until `expiresAt`, as a part of a
   * combined statement (runTogether); earlier confirmation links stop working when a newer one is sent.
   */
  registrationLinksPart(buildingId: string, links: RegistrationLinks, expiresAt: Date): StatementPart<void> {
    return {
      effects: [REVOKE_UNUSED_VERIFICATION],
      sql: INSERT_REGISTRATION_LINKS,
      parameters: [buildingId, links.verification.hash, expiresAt, links.unsubscribe.hash],
      read: () => undefined,
    };
  }

  /** Marks a verification token used; false when another request used it first. */
  async markUsed(manager: EntityManager, tokenHash: string, at: Date): Promise<boolean> {
    const result = await manager.getRepository(Token).update({ tokenHash, usedAt: IsNull() }, { usedAt: at });
    return (result.affected ?? 0) > 0;
  }

  async revoke(manager: EntityManager, tokenHash: string): Promise<void> {
    await manager.getRepository(Token).delete({ tokenHash });
  }

  async counts(manager: EntityManager): Promise<{ active: number; expired: number }> {
    const [row] = await manager.query<{ active: number; expired: number }[]>(
      `SELECT count(*) FILTER (WHERE expires_at IS NULL OR expires_at >= now())::int AS active,
              count(*) FILTER (WHERE expires_at < now())::int AS expired
       FROM tokens`,
    );
    return row;
  }

  async removeForBuilding(manager: EntityManager, buildingId: string): Promise<void> {
    await manager.getRepository(Token).delete({ buildingId });
  }

  /**
   * Stores tokens by hash in one statement: new ones are inserted, a known unused one is marked
   * used when the given one is used (same building), anything else is left alone.
   */
  async importByHash(manager: EntityManager, tokens: TokenByHash[]): Promise<Map<string, TokenImportOutcome>> {
    if (tokens.length === 0) return new Map();
    const rows = await manager.query<{ token_hash: string; inserted: boolean | null }[]>(
      `WITH input AS (
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
           AS u(token_hash, kind, building_id, created_at, expires_at, used_at)
       ), written AS (
         INSERT INTO tokens (token_hash, kind, building_id, created_at, expires_at, used_at)
         SELECT token_hash, kind, building_id, coalesce(created_at, now()), expires_at, used_at FROM input
         ON CONFLICT (token_hash) DO UPDATE SET used_at = EXCLUDED.used_at
           WHERE tokens.used_at IS NULL AND EXCLUDED.used_at IS NOT NULL AND tokens.building_id = EXCLUDED.building_id
         RETURNING token_hash, (xmax = 0) AS inserted
       )
       SELECT i.token_hash, w.inserted FROM input i LEFT JOIN written w ON w.token_hash = i.token_hash`,
      [
        tokens.map((t) => t.hash),
        tokens.map((t) => t.kind),
        tokens.map((t) => t.buildingId),
        tokens.map((t) => t.createdAt?.toISOString() ?? null),
        tokens.map((t) => t.expiresAt?.toISOString() ?? null),
        tokens.map((t) => t.usedAt?.toISOString() ?? null),
      ],
    );
    return new Map(rows.map((row) => [row.token_hash, row.inserted === null ? 'unchanged' : row.inserted ? 'imported' : 'updated']));
  }

  /** Every token of a kind in hash order, a page at a time (for the export). */
  async *pagesOf(manager: EntityManager, kind: TokenKind, pageSize: number): AsyncGenerator<TokenByHash[]> {
    let after: string | null = null;
    for (;;) {
      const page: TokenByHash[] = await manager.query<TokenByHash[]>(
        `SELECT token_hash AS hash, kind, building_id AS "buildingId", created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"
         FROM tokens WHERE kind = $1 AND ($2::varchar IS NULL OR token_hash > $2) ORDER BY token_hash LIMIT $3`,
        [kind, after, pageSize],
      );
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      after = page[page.length - 1].hash;
    }
  }
}

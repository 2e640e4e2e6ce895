import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { generateToken, hashToken } from './token-format';
import { Token, TokenKind } from './token.entity';

export type IssuedToken = { token: string; hash: string };

@Injectable()
export class TokensService {
  /** Creates a token and stores only its hash; the clear token exists only in the returned value. */
  async issue(manager: EntityManager, buildingId: string, kind: TokenKind, expiresAt: Date | null): Promise<IssuedToken> {
    const token = generateToken();
    const hash = hashToken(token);
    await manager.getRepository(Token).insert({ tokenHash: hash, kind, buildingId, expiresAt, usedAt: null });
    return { token, hash };
  }

  /** Looks a token up by its clear value; the caller has checked the format first. */
  findByToken(manager: EntityManager, token: string, kind: TokenKind): Promise<Token | null> {
    return manager.getRepository(Token).findOneBy({ tokenHash: hashToken(token), kind });
  }

  /** Earlier confirmation links stop working when a newer one is sent. */
  async revokeUnusedVerification(manager: EntityManager, buildingId: string): Promise<void> {
    await manager.getRepository(Token).delete({ buildingId, kind: 'verification', usedAt: IsNull() });
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
}

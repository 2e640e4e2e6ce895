import { hashToken } from '../tokens/token-format';
import { collectLegacyTokens } from './legacy-tokens';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-01-01T00:00:00Z');
const A = '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e01';
const B = '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e02';
const U = '7a2d2e3f-3c9b-4d4f-8e8b-2b3c4d5e6f01';

describe(collectLegacyTokens.name, () => {
  it('should merge both files, take created_at from the token store and compute the expiry', () => {
    const { tokens, problems } = collectLegacyTokens(
      {
        verification_tokens: [{ [A]: { building_id: 'b1' } }, { [A]: { building_id: 'b1' }, [B]: { building_id: 'b2' } }],
        unsubscribe_tokens: [{ [U]: { building_id: 'b1' } }],
        created_at: [{ [`verification_${A}`]: 1762000000, [`unsubscribe_${U}`]: 1762000000 }],
      },
      30 * DAY,
      NOW,
    );
    expect(problems).toEqual([]);
    expect(tokens).toHaveLength(3);
    const a = tokens.find((t) => t.hash === hashToken(A));
    expect(a).toMatchObject({ kind: 'verification', buildingId: 'b1', createdAt: new Date(1762000000000), expiresAt: new Date(1762000000000 + 30 * DAY), usedAt: null });
    expect(tokens.find((t) => t.hash === hashToken(B))).toMatchObject({ createdAt: null, expiresAt: new Date(NOW.getTime() + 30 * DAY) });
    expect(tokens.find((t) => t.hash === hashToken(U))).toMatchObject({ kind: 'unsubscribe', expiresAt: null });
  });

  it('should turn token_history entries into used verification tokens', () => {
    const { tokens } = collectLegacyTokens({ token_history: [{ [`verification_${A.toUpperCase()}`]: 'b1' }] }, DAY, NOW);
    expect(tokens).toEqual([expect.objectContaining({ hash: hashToken(A), kind: 'verification', buildingId: 'b1', usedAt: NOW })]);
  });

  it('should read exported hashes as they are', () => {
    const hash = 'a'.repeat(64);
    const { tokens } = collectLegacyTokens(
      { token_hashes: [{ verification: { [hash]: { building_id: 'b1', created_at: 1, expires_at: 2, used_at: null } } }] },
      DAY,
      NOW,
    );
    expect(tokens).toEqual([expect.objectContaining({ hash, createdAt: new Date(1000), expiresAt: new Date(2000), usedAt: null })]);
  });

  it('should report malformed tokens and entries without a building', () => {
    const { tokens, problems } = collectLegacyTokens({ verification_tokens: [{ 'not-a-token': { building_id: 'b1' }, [A]: {} }] }, DAY, NOW);
    expect(tokens).toEqual([]);
    expect(problems).toHaveLength(2);
  });
});

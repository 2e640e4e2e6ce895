import { hashToken } from '../tokens/token-format';
import { LegacyTokenCollector } from './legacy-tokens';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-01-01T00:00:00Z');
const A = '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e01';
const B = '6f1c1f2e-2b8a-4c3e-9d7a-1a2b3c4d5e02';
const U = '7a2d2e3f-3c9b-4d4f-8e8b-2b3c4d5e6f01';

/** Feeds the sections' entries, in the order given, as the reader yields them. */
function collect(sections: [section: string, entries: Record<string, unknown>][], ttlMs: number, now: Date) {
  const collector = new LegacyTokenCollector();
  for (const [section, entries] of sections) {
    for (const [key, value] of Object.entries(entries)) {
      if (section === 'token_hashes') for (const [hash, entry] of Object.entries(value as object)) collector.add(section, hash, entry, key);
      else collector.add(section, key, value);
    }
  }
  return { tokens: [...collector.tokens(ttlMs, now)], problems: collector.problems };
}

describe(LegacyTokenCollector.name, () => {
  it('should merge both files, take created_at from the token store and compute the expiry', () => {
    const { tokens, problems } = collect(
      [
        ['verification_tokens', { [A]: { building_id: 'b1' } }],
        ['unsubscribe_tokens', { [U]: { building_id: 'b1' } }],
        ['verification_tokens', { [A]: { building_id: 'b1' }, [B]: { building_id: 'b2' } }],
        // the token store comes second: created_at applies to tokens read before it
        ['created_at', { [`verification_${A}`]: 1762000000, [`unsubscribe_${U}`]: 1762000000 }],
      ],
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
    const { tokens } = collect([['token_history', { [`verification_${A.toUpperCase()}`]: 'b1' }]], DAY, NOW);
    expect(tokens).toEqual([expect.objectContaining({ hash: hashToken(A), kind: 'verification', buildingId: 'b1', usedAt: NOW })]);
  });

  it('should read exported hashes as they are', () => {
    const hash = 'a'.repeat(64);
    const { tokens } = collect(
      [
        ['token_hashes', { verification: { [hash]: { building_id: 'b1', created_at: 1, expires_at: 2, used_at: null } } }],
        ['verification_tokens', {}],
      ],
      DAY,
      NOW,
    );
    expect(tokens).toEqual([expect.objectContaining({ hash, createdAt: new Date(1000), expiresAt: new Date(2000), usedAt: null })]);
  });

  it('should report malformed tokens and entries without a building', () => {
    const { tokens, problems } = collect([['verification_tokens', { 'not-a-token': { building_id: 'b1' }, [A]: {} }]], DAY, NOW);
    expect(tokens).toEqual([]);
    expect(problems).toHaveLength(2);
  });

  it('should keep a token used once any entry says so, whatever the order', () => {
    const { tokens } = collect(
      [
        ['token_history', { [`verification_${A}`]: 'b1' }],
        ['verification_tokens', { [A]: { building_id: 'b1' } }],
      ],
      DAY,
      NOW,
    );
    expect(tokens).toEqual([expect.objectContaining({ hash: hashToken(A), usedAt: NOW })]);
  });
});

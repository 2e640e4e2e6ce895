import { compareIds } from './community-id';
import { orderOfIds } from './id-order';

/** Deterministic pseudo-random numbers in [0, 1) so a failing case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Ids built from a few prefixes and a small alphabet, so that long shared prefixes, ids that are prefixes of
 * others and duplicates all occur. The alphabet mixes cases, digits, an accent, a surrogate pair (code-unit order
 * puts it before U+FF5A, code-point order after) and U+FFFF.
 */
function randomIds(random: () => number, count: number): string[] {
  const prefixes = ['', 'g', 'CH-1234-', 'building_000000'];
  const alphabet = ['a', 'B', 'b', '0', '9', '-', '_', 'é', '😀', 'ｚ', '\uffff'];
  return Array.from({ length: count }, () => {
    let id = prefixes[Math.floor(random() * prefixes.length)];
    const length = Math.floor(random() * random() * 12);
    for (let k = 0; k < length; k++) {
      id += alphabet[Math.floor(random() * alphabet.length)];
    }
    return id;
  });
}

function referenceOrder(ids: readonly string[]): string[] {
  return [...ids].sort(compareIds);
}

describe(orderOfIds.name, () => {
  it('should return nothing for no ids and the single index for one', () => {
    expect(Array.from(orderOfIds([]))).toEqual([]);
    expect(Array.from(orderOfIds(['only']))).toEqual([0]);
  });

  it('should order by code units: a prefix first, upper case before lower case, a surrogate pair before U+FF5A', () => {
    const ids = ['ｚ', 'b', 'ab', '😀', 'a', 'B', ''];
    expect(Array.from(orderOfIds(ids), (i) => ids[i])).toEqual(['', 'B', 'a', 'ab', 'b', '😀', 'ｚ']);
  });

  it.each([10, 100, 5_000])('should give the order of compareIds for %i random ids, duplicates side by side', (count) => {
    const ids = randomIds(seededRandom(count), count);
    const order = orderOfIds(ids);
    expect(Array.from(order, (i) => ids[i])).toEqual(referenceOrder(ids));
    expect(new Set(order).size).toBe(count);
  });

  it('should sort many ids that differ only after a long shared prefix', () => {
    const random = seededRandom(5);
    const ids = Array.from({ length: 3_000 }, () => `${'x'.repeat(60)}${Math.floor(random() * 1e6)}`);
    expect(Array.from(orderOfIds(ids), (i) => ids[i])).toEqual(referenceOrder(ids));
  });
});

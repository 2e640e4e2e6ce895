import { createHash } from 'node:crypto';
import { assignCommunityIds, communityIdFor } from './community-id';

describe(communityIdFor.name, () => {
  it('should be c_ and the first 16 hex digits of SHA-256 over the sorted ids joined by newlines', () => {
    const expected = 'c_' + createHash('sha256').update('a1\nb2\nc3').digest('hex').slice(0, 16);
    expect(communityIdFor(['b2', 'c3', 'a1'])).toBe(expected);
    expect(expected).toMatch(/^c_[0-9a-f]{16}$/);
  });

  it('should not depend on the order of the members', () => {
    expect(communityIdFor(['x', 'y', 'z'])).toBe(communityIdFor(['z', 'x', 'y']));
  });

  it('should differ for different member sets', () => {
    expect(communityIdFor(['x', 'y'])).not.toBe(communityIdFor(['x', 'z']));
  });

  it('should not mutate its argument', () => {
    const members = ['b', 'a'];
    communityIdFor(members);
    expect(members).toEqual(['b', 'a']);
  });
});

describe(assignCommunityIds.name, () => {
  it('should keep the id of a community whose members did not change', () => {
    const previous = new Map([['c_old', ['a', 'b']]]);
    expect(assignCommunityIds([['b', 'a']], previous)).toEqual(['c_old']);
  });

  it('should keep the id when a neighbour joins', () => {
    const previous = new Map([['c_old', ['a', 'b']]]);
    expect(assignCommunityIds([['a', 'b', 'n']], previous)).toEqual(['c_old']);
  });

  it('should keep the id when a member leaves', () => {
    const previous = new Map([['c_old', ['a', 'b', 'c']]]);
    expect(assignCommunityIds([['a', 'b']], previous)).toEqual(['c_old']);
  });

  it('should give the id of a split community to the larger part and a fresh id to the smaller', () => {
    const previous = new Map([['c_old', ['a', 'b', 'c', 'd', 'e']]]);
    const next = [['a', 'b'], ['c', 'd', 'e']];
    expect(assignCommunityIds(next, previous)).toEqual([communityIdFor(['a', 'b']), 'c_old']);
  });

  it('should give an even split the id by the smaller member id, whatever the order of the new communities', () => {
    const previous = new Map([['c_old', ['a', 'b', 'c', 'd']]]);
    expect(assignCommunityIds([['c', 'd'], ['a', 'b']], previous)).toEqual([communityIdFor(['c', 'd']), 'c_old']);
    expect(assignCommunityIds([['a', 'b'], ['c', 'd']], previous)).toEqual(['c_old', communityIdFor(['c', 'd'])]);
  });

  it('should give a merged community the id of the previous community it shares most members with', () => {
    const previous = new Map([
      ['c_small', ['a', 'b']],
      ['c_large', ['c', 'd', 'e']],
    ]);
    expect(assignCommunityIds([['a', 'b', 'c', 'd', 'e']], previous)).toEqual(['c_large']);
  });

  it('should break an equal-overlap merge towards the smaller previous id', () => {
    const previous = new Map([
      ['c_b', ['c', 'd']],
      ['c_a', ['a', 'b']],
    ]);
    expect(assignCommunityIds([['a', 'b', 'c', 'd']], previous)).toEqual(['c_a']);
  });

  it('should hand each previous id to one community only, largest overlap first', () => {
    // Community 0 shares 2 with c_x, community 1 shares 3 with c_x and 1 with c_y: 1 takes c_x, 0 gets nothing
    // from c_x and shares nothing with c_y, so it gets a fresh id; c_y is free but nobody else overlaps it.
    const previous = new Map([
      ['c_x', ['a', 'b', 'c', 'd', 'e']],
      ['c_y', ['f', 'g']],
    ]);
    const next = [['a', 'b'], ['c', 'd', 'e', 'f']];
    expect(assignCommunityIds(next, previous)).toEqual([communityIdFor(['a', 'b']), 'c_x']);
  });

  it('should let a community fall back to its second-best previous id when the best one is taken', () => {
    const previous = new Map([
      ['c_x', ['a', 'b', 'c', 'd']],
      ['c_y', ['e']],
    ]);
    // Community 1 takes c_x (overlap 3); community 0 shares 1 with c_x and 1 with c_y, so it keeps c_y.
    expect(assignCommunityIds([['a', 'e'], ['b', 'c', 'd']], previous)).toEqual(['c_y', 'c_x']);
  });

  it('should give deterministic fresh ids to communities without previous members', () => {
    const next = [['p', 'q'], ['r', 's', 't']];
    const expected = [communityIdFor(['p', 'q']), communityIdFor(['r', 's', 't'])];
    expect(assignCommunityIds(next, new Map())).toEqual(expected);
    expect(assignCommunityIds(next, new Map([['c_other', ['z']]]))).toEqual(expected);
  });

  it('should derive another id when the fresh id is already taken', () => {
    // A previous community, not carried over, whose id happens to equal the new community's hash.
    const previous = new Map([[communityIdFor(['p', 'q']), ['z']]]);
    const [id] = assignCommunityIds([['p', 'q']], previous);
    expect(id).not.toBe(communityIdFor(['p', 'q']));
    expect(id).toBe('c_' + createHash('sha256').update('p\nq\n#1').digest('hex').slice(0, 16));
  });

  it('should return no ids for no communities', () => {
    expect(assignCommunityIds([], new Map([['c_old', ['a']]]))).toEqual([]);
  });
});

describe('communityIdFor with a secret', () => {
  it('should differ from the unkeyed id and depend on the secret, but not on member order', () => {
    const keyed = communityIdFor(['b', 'a'], 'secret-one');
    expect(keyed).not.toBe(communityIdFor(['a', 'b']));
    expect(keyed).not.toBe(communityIdFor(['a', 'b'], 'secret-two'));
    expect(keyed).toBe(communityIdFor(['a', 'b'], 'secret-one'));
  });
});

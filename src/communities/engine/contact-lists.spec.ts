import { contactList, contactListDigest, contactListDigests, contactOrder, ContactMember, listStart, positionsToCheck } from './contact-lists';

const member = (n: number, confirmedAt = 1000): ContactMember => ({ building_id: `b${String(n).padStart(4, '0')}`, z_key: n * 10, confirmed_at: confirmedAt });

function digests(members: ContactMember[], size: number): Map<string, string> {
  const ordered = contactOrder(members);
  return new Map(ordered.map((m, index) => [m.building_id, contactListDigest(contactList(ordered, index, size))]));
}

describe(contactOrder.name, () => {
  it('should order along the curve and break ties by building id', () => {
    const tied = [{ building_id: 'b', z_key: 5, confirmed_at: 0 }, { building_id: 'a', z_key: 5, confirmed_at: 0 }, { building_id: 'c', z_key: 1, confirmed_at: 0 }];
    expect(contactOrder(tied).map((m) => m.building_id)).toEqual(['c', 'a', 'b']);
  });
});

describe(contactList.name, () => {
  it('should give everyone the whole community when it fits one list', () => {
    const ordered = contactOrder([member(1), member(2), member(3)]);
    for (let i = 0; i < 3; i++) expect(contactList(ordered, i, 5)).toEqual(ordered);
  });

  it('should give a window of the list size around the member, clamped at both ends', () => {
    const ordered = contactOrder(Array.from({ length: 100 }, (_, i) => member(i)));
    expect(listStart(0, 100, 10)).toBe(0);
    expect(listStart(50, 100, 10)).toBe(45);
    expect(listStart(99, 100, 10)).toBe(90);
    for (let i = 0; i < 100; i++) {
      const list = contactList(ordered, i, 10);
      expect(list).toHaveLength(10);
      expect(list).toContain(ordered[i]);
    }
  });
});

describe(contactListDigest.name, () => {
  it('should not depend on order but on the members and their holders', () => {
    expect(contactListDigest([member(1), member(2)])).toBe(contactListDigest([member(2), member(1)]));
    expect(contactListDigest([member(1), member(2)])).not.toBe(contactListDigest([member(1), member(3)]));
    expect(contactListDigest([member(1), member(2)])).not.toBe(contactListDigest([member(1), member(2, 2000)]));
  });
});

describe(contactListDigests.name, () => {
  it('should give each position the digest of its own list, in communities smaller and larger than a list', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const count of [2, 9, 10, 11, 137]) {
      // ids whose order by name differs from the curve's order, holders confirmed at different times
      const members = Array.from({ length: count }, (_, i): ContactMember => ({ building_id: `x${Math.floor(random() * 1e6)}-${i}`, z_key: Math.floor(random() * 1000), confirmed_at: 1000 + (i % 3) }));
      const ordered = contactOrder(members);
      const positions = ordered.map((_, index) => index).filter((index) => index % 2 === 0 || count < 20);

      expect(contactListDigests(ordered, positions, 10)).toEqual(positions.map((index) => contactListDigest(contactList(ordered, index, 10))));
    }
  });
});

describe(positionsToCheck.name, () => {
  const size = 10;

  it('should check everyone while the community is, or was, no larger than one list', () => {
    expect(positionsToCheck(8, 7, [3], size)).toHaveLength(8);
    expect(positionsToCheck(12, 11, [3], size)).toHaveLength(12);
  });

  it.each([0, 1, 17, 100, 198, 199])('should include every list that changed when a member is added at position %i', (position) => {
    const before = Array.from({ length: 199 }, (_, i) => member(2 * i + 1));
    const added = member(position === 0 ? 0 : 2 * position);
    const after = [...before, added];
    const previous = digests(before, size);
    const current = digests(after, size);
    const changed = [...current].filter(([id, digest]) => previous.get(id) !== digest).map(([id]) => id);
    const order = contactOrder(after);
    const checked = new Set(positionsToCheck(after.length, before.length, [order.indexOf(added)], size).map((index) => order[index].building_id));
    for (const id of changed) expect(checked).toContain(id);
  });

  it.each([0, 5, 100, 195, 199])('should include every list that changed when the member at position %i leaves', (position) => {
    const before = contactOrder(Array.from({ length: 200 }, (_, i) => member(i)));
    const after = before.filter((_, index) => index !== position);
    const previous = digests(before, size);
    const current = digests(after, size);
    const changed = [...current].filter(([id, digest]) => previous.get(id) !== digest).map(([id]) => id);
    const checked = new Set(positionsToCheck(after.length, before.length, [position], size).map((index) => after[index].building_id));
    expect(changed.length).toBeGreaterThan(0);
    for (const id of changed) expect(checked).toContain(id);
  });

  it('should check far fewer than everyone in a large community', () => {
    expect(positionsToCheck(10_000, 9_999, [5000], 50).length).toBeLessThan(120);
  });
});

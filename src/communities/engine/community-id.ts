import { createHash, createHmac } from 'node:crypto';

const ID_PREFIX = 'c_';
const ID_HEX_CHARS = 16;

/**
 * The id a brand-new community gets: a hash of its member set, whatever order the members come in.
 * Ids are public, so the service passes a secret key: without it, anyone guessing building ids
 * could test whether a given set of buildings forms a community.
 */
export function communityIdFor(memberIds: readonly string[], secret?: Buffer | string): string {
  return hashedId(sortedKey(memberIds), secret);
}

function sortedKey(memberIds: readonly string[]): string {
  return [...memberIds].sort().join('\n');
}

function hashedId(key: string, secret?: Buffer | string): string {
  const hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  return ID_PREFIX + hash.update(key, 'utf8').digest('hex').slice(0, ID_HEX_CHARS);
}

/** Members that a new community (by its index) shares with a previous community. */
export interface Overlap {
  next: number;
  previousId: string;
  shared: number;
}

/**
 * Ids for the communities of a new clustering run. Contact state is keyed by community id, so a community that
 * merely gained or lost a few members must keep its id rather than look brand-new.
 *
 * Each new community takes the id of the previous community it shares the most members with; each previous id
 * goes to one community at most, handed out greedily from the largest overlap down. Ties go to the smaller
 * previous id, then to the new community whose smallest member id is smaller. The rest get communityIdFor().
 *
 * Linear in the total number of members (plus sorting the overlapping pairs, of which there are at most that many).
 */
export function assignCommunityIds(
  next: readonly (readonly string[])[],
  previous: ReadonlyMap<string, readonly string[]>,
  secret?: Buffer | string,
): string[] {
  return idsFromOverlaps(next, countOverlaps(next, previous), previous.keys(), secret);
}

/**
 * assignCommunityIds from the overlaps already counted (by the database, in a full pass) and every previous
 * community id, so that the previous memberships need not be held in memory.
 */
export function idsFromOverlaps(
  next: readonly (readonly string[])[],
  overlaps: Overlap[],
  previousIds: Iterable<string>,
  secret?: Buffer | string,
): string[] {
  const smallestMember = next.map((members) => minimum(members));
  overlaps.sort(
    (a, b) =>
      b.shared - a.shared ||
      compareIds(a.previousId, b.previousId) ||
      compareIds(smallestMember[a.next], smallestMember[b.next]) ||
      a.next - b.next,
  );

  const ids: (string | undefined)[] = new Array<string | undefined>(next.length).fill(undefined);
  const taken = new Set<string>();
  for (const { next: index, previousId } of overlaps) {
    if (ids[index] !== undefined || taken.has(previousId)) {
      continue;
    }
    ids[index] = previousId;
    taken.add(previousId);
  }

  // A fresh id must not revive a previous community that was not carried over: its contact state is not ours.
  for (const previousId of previousIds) {
    taken.add(previousId);
  }
  return ids.map((id, index) => id ?? freshId(next[index], taken, secret));
}

/** One entry per (new community, previous community) pair that share at least one member. */
export function countOverlaps(next: readonly (readonly string[])[], previous: ReadonlyMap<string, readonly string[]>): Overlap[] {
  const previousIdOf = new Map<string, string>();
  for (const [previousId, members] of previous) {
    for (const member of members) {
      previousIdOf.set(member, previousId);
    }
  }
  const overlaps: Overlap[] = [];
  next.forEach((members, index) => {
    const shared = new Map<string, number>();
    for (const member of members) {
      const previousId = previousIdOf.get(member);
      if (previousId !== undefined) {
        shared.set(previousId, (shared.get(previousId) ?? 0) + 1);
      }
    }
    for (const [previousId, count] of shared) {
      overlaps.push({ next: index, previousId, shared: count });
    }
  });
  return overlaps;
}

/** communityIdFor(members), or, in the unlikely case it is taken, the first free id hashed with a counter. */
function freshId(members: readonly string[], taken: Set<string>, secret?: Buffer | string): string {
  const key = sortedKey(members);
  let id = hashedId(key, secret);
  for (let attempt = 1; taken.has(id); attempt++) {
    id = hashedId(`${key}\n#${attempt}`, secret);
  }
  taken.add(id);
  return id;
}

function minimum(values: readonly string[]): string {
  let smallest = values[0] ?? '';
  for (const value of values) {
    if (value < smallest) {
      smallest = value;
    }
  }
  return smallest;
}

/** Building/community id order: code units, the same as Array.prototype.sort, independent of locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

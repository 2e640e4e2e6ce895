import { createHash } from 'node:crypto';
import { compareIds } from './community-id';

/**
 * A contact overview lists at most this many confirmed members by default (CONTACT_LIST_SIZE): the
 * recipient and its nearest along the Z-order curve. Where buildings stand close together a
 * community can chain through a whole town, and thousands of strangers' addresses help no one.
 */
export const CONTACT_LIST_SIZE = 50;

/** A confirmed full registration as the contact lists see it. */
export type ContactMember = {
  building_id: string;
  /** Position along the Z-order curve (see zOrderKey): close on the curve, close on the map. */
  z_key: number;
  /** When its current holder confirmed: a new holder of the same building is a new contact. */
  confirmed_at: number;
};

/** A stored member (confirmation time as a date) as the contact lists see it. */
export function contactMemberOf(row: { building_id: string; z_key: number; confirmed_at: Date }): ContactMember {
  return { building_id: row.building_id, z_key: row.z_key, confirmed_at: row.confirmed_at.getTime() };
}

/** The order contact lists are cut from: along the curve, ties by building id. */
export function contactOrder<M extends ContactMember>(members: readonly M[]): M[] {
  return [...members].sort((a, b) => a.z_key - b.z_key || compareIds(a.building_id, b.building_id));
}

/** Where the list of the member at `index` starts in an ordered community of `count` members. */
export function listStart(index: number, count: number, size = CONTACT_LIST_SIZE): number {
  if (count <= size) return 0;
  return Math.min(Math.max(0, index - Math.floor(size / 2)), count - size);
}

/** The contact list of the member at `index`: the whole community when it is small enough. */
export function contactList<M extends ContactMember>(ordered: readonly M[], index: number, size = CONTACT_LIST_SIZE): M[] {
  const start = listStart(index, ordered.length, size);
  return ordered.slice(start, start + size);
}

/** A member as a list's digest names it: the registration and when its holder confirmed. */
const digestNameOf = (member: ContactMember): string => `${member.building_id}@${member.confirmed_at}`;

function digestOfNames(sortedNames: readonly string[]): string {
  return createHash('sha256').update(sortedNames.join('\n')).digest('hex').slice(0, 32);
}

/** Names the registrations (and their holders) a list shows, whatever their order. */
export function contactListDigest(list: readonly ContactMember[]): string {
  return digestOfNames(list.map(digestNameOf).sort());
}

/**
 * contactListDigest of the lists at the given positions of one ordered community. A full pass digests
 * tens of thousands of lists of 50: each member is named and ranked by name once, so that a list
 * sorts 50 ranks rather than building and sorting 50 strings.
 */
export function contactListDigests(ordered: readonly ContactMember[], positions: readonly number[], size = CONTACT_LIST_SIZE): string[] {
  const names = ordered.map(digestNameOf);
  const byName = names.map((_, index) => index).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const rank = new Int32Array(names.length);
  byName.forEach((index, position) => {
    rank[index] = position;
  });
  return positions.map((index) => {
    const start = listStart(index, ordered.length, size);
    const ranks = rank.slice(start, start + size).sort();
    return digestOfNames(Array.from(ranks, (position) => names[byName[position]]));
  });
}

/**
 * The positions in an ordered community of `count` members whose list may have changed when
 * members were added or removed at `changedAt` (positions in the new order; a removed member at the
 * position it left). A list is a window of `size` around its member, clamped at both ends: a change
 * reaches only lists within `size` of it (a clamped end window changes only when the change falls
 * inside it), and all lists when the community is, or was, no larger than one list. The margin
 * costs a few extra comparisons, never a missed list.
 */
export function positionsToCheck(count: number, previousCount: number, changedAt: readonly number[], size = CONTACT_LIST_SIZE): number[] {
  const all = (): number[] => Array.from({ length: count }, (_, index) => index);
  if (count <= size + 1 || previousCount <= size + 1) return all();
  const reach = size + 2;
  const picked = new Set<number>();
  const take = (from: number, to: number): void => {
    for (let index = Math.max(0, from); index < Math.min(count, to); index++) picked.add(index);
  };
  for (const position of changedAt) take(position - reach, position + reach + 1);
  return [...picked].sort((a, b) => a - b);
}

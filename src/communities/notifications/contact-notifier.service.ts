import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';
import { StoredRecord } from '../../building-records/building-record';
import { BuildingRecordsService } from '../../building-records/building-records.service';
import { transactionLockingBuilding } from '../../building-records/record-locks';
import { Env } from '../../config/env.validation';
import { haversineMeters } from '../../geo/geo';
import { boxAround } from '../../geo/geo-box';
import { ComposedMail, MailComposers, QueuedMailContext } from '../../mail/mail-composers';
import { contactOverviewMail, newNeighbourMail, RenderedMail } from '../../mail/mail-templates';
import { MailQuota } from '../../mail/mail-quota.service';
import { MailService, OutboxEntry } from '../../mail/mail.service';
import { OutboxPayloadError } from '../../mail/outbox-crypto';
import { unsubscribeUrl } from '../../tokens/token-links';
import { TokensService } from '../../tokens/tokens.service';
import { communityEnergy } from '../engine/autarky';
import { compareIds } from '../engine/community-id';
import { contactList, contactListDigest, contactListDigests, ContactMember, contactMemberOf, contactOrder, positionsToCheck } from '../engine/contact-lists';
import { ChangedMember, ContactListEntry, ContactListWork } from '../recomputation/incremental-recomputation';
import { CommunityStore } from '../store/community.store';

type Contact = { address: string | null; email: string; phone: string | null; isNew?: boolean };

/** A contact list at one position of a community's order: who would receive it, whom it lists, and its digest. */
type CandidateList = { recipientId: string; listIds: string[]; digest: string; autarkyPercent: number };

/** A contact overview about to be queued: a list that differs from the one its recipient last received. */
type Overview = CandidateList & { previousDigest: string };

/** Contact overviews and new-neighbour notes wait in the outbox unrendered and are composed by these composers when sent. */
const OVERVIEW_COMPOSER = 'contact-overview';
const NEIGHBOUR_COMPOSER = 'new-neighbour';

type ContactTemplate = typeof contactOverviewMail;

function contactOf(building: StoredRecord, isNew = false): Contact {
  return { address: building.address, email: building.email, phone: building.phone, isNew };
}

/** Where a member stands (or would stand) in a community's contact-list order. */
function positionIn(ordered: readonly ContactMember[], member: { building_id: string; z_key: number }): number {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = ordered[middle];
    if (other.z_key < member.z_key || (other.z_key === member.z_key && compareIds(other.building_id, member.building_id) < 0)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Tells confirmed neighbours about each other. Only full registrations take part: an entry of the
 * interest pool is counted in communities but its contact details are never passed on. Each
 * confirmed full registration of a community receives the contact overview of its list (the
 * whole community up to CONTACT_LIST_SIZE members, 50 by default; beyond, its nearest along the
 * Z-order curve) whenever that list differs from the one it last received, once.
 */
@Injectable()
export class ContactNotifier implements OnModuleInit {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly dataSource: DataSource,
    private readonly composers: MailComposers,
    private readonly records: BuildingRecordsService,
    private readonly store: CommunityStore,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly quota: MailQuota,
  ) {}

  onModuleInit(): void {
    this.composers.register(OVERVIEW_COMPOSER, (mail) => this.composeOverview(mail));
    this.composers.register(NEIGHBOUR_COMPOSER, (mail) => this.composeNewNeighbour(mail));
  }

  private get listSize(): number {
    return this.config.get('CONTACT_LIST_SIZE', { infer: true });
  }

  /** After incremental changes: the lists around the changes (all lists of new, merged or split communities). */
  async notifyWork(manager: EntityManager, work: ContactListWork, at: Date): Promise<number> {
    const candidates = new Map<string, CandidateList>();
    const communities = new Map((await this.store.communitiesByIds(manager, [...work.communities.keys()])).map((c) => [c.id, c]));
    for (const [communityId, entry] of work.communities) {
      const community = communities.get(communityId);
      if (!community) continue;
      for (const list of await this.listsToCheck(manager, communityId, entry, community.autarky_percent)) candidates.set(list.recipientId, list);
    }
    return this.send(manager, await this.changedOnly(manager, [...candidates.values()]), at);
  }

  /**
   * The lists a change may have touched. Around a member more or less, only lists within a list's
   * length of it can differ, so a large community is read only in a window around each change
   * (a town-sized community has tens of thousands of members); a new, merged or split one, or a
   * small one, is read whole.
   */
  private async listsToCheck(manager: EntityManager, communityId: string, entry: ContactListEntry, autarkyPercent: number): Promise<CandidateList[]> {
    const windows = entry.all || entry.changed.length > this.listSize ? null : await this.windowsAround(manager, communityId, entry.changed);
    if (windows && 'lists' in windows) return windows.lists.flatMap(({ ordered, changedAt }) => this.listsAt(ordered, positionsToCheck(ordered.length, ordered.length, [changedAt], this.listSize), autarkyPercent));
    const ordered = windows?.whole ?? contactOrder((await this.store.contactMembersOf(manager, communityId)).map(contactMemberOf));
    const positions = entry.all || ordered.length <= this.listSize + 1 + entry.changed.length
      ? ordered.map((_, index) => index)
      : positionsToCheck(ordered.length, ordered.length, entry.changed.map((member) => positionIn(ordered, member)), this.listSize);
    return this.listsAt(ordered, positions, autarkyPercent);
  }

  /**
   * Each change's window of the contact order: 2 × CONTACT_LIST_SIZE + 4 members on either side, so
   * that every list positionsToCheck picks (within CONTACT_LIST_SIZE + 2 of the change) lies inside
   * it and is clamped only where the community really ends. When a window reaches both ends it is
   * the whole community.
   */
  private async windowsAround(
    manager: EntityManager,
    communityId: string,
    changed: readonly ChangedMember[],
  ): Promise<{ whole: ContactMember[] } | { lists: { ordered: ContactMember[]; changedAt: number }[] }> {
    const reach = 2 * this.listSize + 4;
    const lists: { ordered: ContactMember[]; changedAt: number }[] = [];
    for (const member of changed) {
      const { before, from } = await this.store.contactWindowOf(manager, communityId, member, reach);
      const ordered = [...before, ...from].map(contactMemberOf);
      if (before.length < reach && from.length < reach) return { whole: ordered };
      lists.push({ ordered, changedAt: before.length });
    }
    return { lists };
  }

  /** After a full pass: every list of every community. */
  async notifyAll(manager: EntityManager, communities: ReadonlyMap<string, { autarkyPercent: number; members: ContactMember[] }>, at: Date): Promise<number> {
    const candidates: CandidateList[] = [];
    for (const { autarkyPercent, members } of communities.values()) {
      const ordered = contactOrder(members);
      candidates.push(...this.listsAt(ordered, ordered.map((_, index) => index), autarkyPercent));
    }
    return this.send(manager, await this.changedOnly(manager, candidates), at);
  }

  /**
   * Contact states carried over from elsewhere (the previous version), as sets of members told about
   * each other: each set goes to the community holding most of its members, and each member still
   * there is recorded as having received the list cut from the part of the set still there, unless
   * it has a newer list already. Returns how many sets found a community.
   */
  async seed(
    manager: EntityManager,
    communities: ReadonlyMap<string, { members: ContactMember[] }>,
    oldSets: readonly string[][],
    at: Date,
  ): Promise<{ seeded: number; unmatched: number }> {
    const communityOf = new Map<string, string>();
    for (const [id, { members }] of communities) for (const member of members) communityOf.set(member.building_id, id);
    const seeded: { buildingId: string; digest: string }[] = [];
    let unmatched = 0;
    for (const oldSet of oldSets) {
      const best = bestCommunity(oldSet, communityOf);
      if (!best) {
        unmatched++;
        continue;
      }
      const kept = new Set(oldSet);
      const told = contactOrder(communities.get(best)!.members.filter((member) => kept.has(member.building_id)));
      told.forEach((member, index) => seeded.push({ buildingId: member.building_id, digest: contactListDigest(contactList(told, index, this.listSize)) }));
    }
    const existing = await this.store.digestsOf(manager, seeded.map((entry) => entry.buildingId));
    await this.store.saveDigests(manager, seeded.filter((entry) => !existing.has(entry.buildingId)), at);
    return { seeded: oldSets.length - unmatched, unmatched };
  }

  /** The lists at the given positions of a community's contact order (none for a community of one). */
  private listsAt(ordered: readonly ContactMember[], positions: readonly number[], autarkyPercent: number): CandidateList[] {
    if (ordered.length < 2) return [];
    const digests = contactListDigests(ordered, positions, this.listSize);
    return positions.map((index, nth) => ({
      recipientId: ordered[index].building_id,
      listIds: contactList(ordered, index, this.listSize).map((m) => m.building_id),
      digest: digests[nth],
      autarkyPercent,
    }));
  }

  /** The overviews due: lists that differ from the one their recipient last received (looked up in one pass). */
  private async changedOnly(manager: EntityManager, candidates: readonly CandidateList[]): Promise<Overview[]> {
    const stored = await this.store.digestsOf(manager, candidates.map((candidate) => candidate.recipientId));
    return candidates
      .map((candidate) => ({ ...candidate, previousDigest: stored.get(candidate.recipientId) ?? 'none' }))
      .filter((overview) => overview.previousDigest !== overview.digest);
  }

  /**
   * Queues the overviews in bulk and records the lists sent. They wait unrendered, without their
   * unsubscribe link (composeOverview renders them and issues the link when sent): a first
   * recomputation queues tens of thousands, a change in a town-sized community a hundred, and a
   * rendered one weighs some 25 kB.
   */
  private async send(manager: EntityManager, overviews: readonly Overview[], at: Date): Promise<number> {
    if (overviews.length === 0) return 0;
    // A recipient is on its own list, so this finds the recipients too.
    const listed = new Set<string>();
    for (const overview of overviews) for (const id of overview.listIds) listed.add(id);
    const emails = await this.records.registeredEmails(manager, [...listed]);
    const recipients = overviews.filter((overview) => emails.has(overview.recipientId));
    // Over a recipient's cap, the overview waits: its list is not recorded as sent, so the nightly full pass sends it.
    const allowed = await this.quota.reserveMany(manager, recipients.map((overview) => emails.get(overview.recipientId)!), 'overviews');
    const sendable = recipients.filter((overview) => allowed.has(emails.get(overview.recipientId)!));
    const entries = sendable.map(
      (overview): OutboxEntry => ({
        // One mail per change of a recipient's list: the key names the change, so a run repeated after a crash queues nothing twice.
        idempotencyKey: `overview:${overview.recipientId}:${overview.previousDigest}:${overview.digest}`,
        kind: 'contact-overview',
        buildingId: overview.recipientId,
        mentions: overview.listIds.filter((id) => emails.has(id)),
        composer: OVERVIEW_COMPOSER,
        data: { autarkyPercent: overview.autarkyPercent },
      }),
    );
    const queued = await this.mail.enqueueMany(manager, entries);
    await this.store.saveDigests(manager, sendable.map((overview) => ({ buildingId: overview.recipientId, digest: overview.digest })), at);
    return queued;
  }

  /**
   * Renders a queued overview from the records as they are when it is sent: the members it names
   * that are still full registrations, with their current details, and a fresh unsubscribe link for
   * its recipient. Null once its recipient has left.
   */
  composeOverview(mail: QueuedMailContext): Promise<ComposedMail | null> {
    return this.compose(contactOverviewMail, mail);
  }

  /** As composeOverview, the newcomer marked as new; null too once the newcomer has left. */
  composeNewNeighbour(mail: QueuedMailContext): Promise<ComposedMail | null> {
    const { newId } = mail.data;
    if (typeof newId !== 'string') throw new OutboxPayloadError('not a new-neighbour note');
    return this.compose(newNeighbourMail, mail, newId);
  }

  private compose(template: ContactTemplate, { buildingId, mentions, data }: QueuedMailContext, newId?: string): Promise<ComposedMail | null> {
    const { autarkyPercent } = data;
    if (typeof autarkyPercent !== 'number' || !buildingId) throw new OutboxPayloadError('not a contact mail');
    // Under the recipient's lock: an erasure cannot slip between reading the record and issuing its link.
    return transactionLockingBuilding(this.dataSource, buildingId, async (manager) => {
      const records = new Map((await this.records.findRegistered(manager, [buildingId, ...mentions])).map((r) => [r.buildingId, r]));
      const recipient = records.get(buildingId);
      if (!recipient) return null;
      if (newId !== undefined && !records.has(newId)) return null;
      const listed = mentions.map((id) => records.get(id)).filter((b): b is StoredRecord => b !== undefined);
      const link = await this.tokens.issue(manager, buildingId, 'unsubscribe', null);
      return {
        message: { to: recipient.email, ...this.render(template, recipient, listed, autarkyPercent, link.token, newId) },
        mentions: listed.map((member) => member.buildingId),
      };
    });
  }

  private render(template: ContactTemplate, recipient: StoredRecord, members: StoredRecord[], autarkyPercent: number, unsubscribeToken: string, newId?: string): RenderedMail {
    return template({
      appName: this.config.get('APP_NAME', { infer: true }),
      recipientAddress: recipient.address,
      autarkyPercent,
      members: members.map((b) => contactOf(b, b.buildingId === newId)),
      unsubscribeUrl: unsubscribeUrl(this.config.get('APP_BASE_URL', { infer: true }), unsubscribeToken),
    });
  }

  /**
   * When a full registration is confirmed, its confirmed neighbours within the community radius
   * hear about it (the new one marked as such), queued in the confirmation's transaction. The notes
   * wait unrendered (composeNewNeighbour): in a dense street each of a hundred neighbours would get
   * a rendered list of a hundred, inside the confirmation's request.
   */
  async notifyNeighboursOfConfirmation(manager: EntityManager, buildingId: string): Promise<number> {
    const [confirmed] = await this.records.findRegistered(manager, [buildingId]);
    if (!confirmed?.verified) return 0;
    const radiusM = this.config.get('CLUSTER_RADIUS_M', { infer: true });
    const nearby = (await this.records.findRegisteredInBox(manager, boxAround(confirmed, radiusM))).filter(
      (b) => b.buildingId !== buildingId && b.verified && haversineMeters(b, confirmed) <= radiusM,
    );
    if (nearby.length === 0) return 0;
    const members = [...nearby, confirmed];
    // Over a recipient's cap the note is dropped: the recipient's next contact overview lists the newcomer anyway.
    const allowed = await this.quota.reserveMany(manager, nearby.map((b) => b.email), 'neighbours');
    const neighbours = nearby.filter((b) => allowed.has(b.email));
    if (neighbours.length === 0) return 0;
    const autarkyPercent = communityEnergy(
      members.map((b) => ({ annual_consumption_kwh: b.annualConsumptionKwh, potential_pv_kwp: b.potentialPvKwp })),
    ).autarky_percent;
    return this.mail.enqueueMany(
      manager,
      neighbours.map((recipient) => ({
        idempotencyKey: `new-neighbour:${buildingId}:${confirmed.verifiedAt?.getTime()}:${recipient.buildingId}`,
        kind: 'new-neighbour',
        buildingId: recipient.buildingId,
        mentions: members.map((b) => b.buildingId),
        composer: NEIGHBOUR_COMPOSER,
        data: { autarkyPercent, newId: buildingId },
      })),
    );
  }
}

/** The community holding most of the set's members (ties: the smaller id), if any holds one. */
function bestCommunity(set: readonly string[], communityOf: ReadonlyMap<string, string>): string | undefined {
  const counts = new Map<string, number>();
  for (const id of set) {
    const community = communityOf.get(id);
    if (community) counts.set(community, (counts.get(community) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [id, count] of counts) {
    if (best === undefined || count > counts.get(best)! || (count === counts.get(best) && compareIds(id, best) < 0)) best = id;
  }
  return best;
}

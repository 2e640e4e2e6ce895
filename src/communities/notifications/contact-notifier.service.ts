import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { StoredRecord } from '../../building-records/building-record';
import { BuildingRecordsService, SourceRecord } from '../../building-records/building-records.service';
import { Env } from '../../config/env.validation';
import { contactOverviewMail, newNeighbourMail } from '../../mail/mail-templates';
import { MailService } from '../../mail/mail.service';
import { unsubscribeUrl } from '../../tokens/token-links';
import { TokensService } from '../../tokens/tokens.service';
import { communityEnergy } from '../engine/autarky';
import { haversineMeters } from '../../geo/geo';
import { boxAround } from '../../geo/geo-box';
import { nearbyWindows } from '../engine/nearby-window';
import { CommunityStore } from '../store/community.store';

export type NotifiableCommunity = { community_id: string; autarky_percent: number; members: SourceRecord[] };

/**
 * A contact overview lists at most this many confirmed members (the recipient and its nearest).
 * Where buildings stand close together a community can chain through a whole town; sending each of
 * thousands of members everyone's contact details would be quadratic work and no use to anyone.
 */
export const MAX_CONTACTS_PER_MAIL = 50;

type Contact = { address: string | null; email: string; phone: string | null; isNew?: boolean };

function digest(ids: string[]): string {
  return createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 24);
}

function contactOf(building: StoredRecord, isNew = false): Contact {
  return { address: building.address, email: building.email, phone: building.phone, isNew };
}

/**
 * Tells confirmed neighbours about each other. Only full registrations take part: an entry of the
 * interest pool is counted in communities but its contact details are never passed on.
 */
@Injectable()
export class ContactNotifier {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly store: CommunityStore,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
  ) {}

  /**
   * For each community whose confirmed members (at least two) differ from the set last told,
   * queues the contact overview to each of them and stores the new set, in the caller's transaction.
   */
  async notifyCommunities(manager: EntityManager, communities: NotifiableCommunity[], at: Date): Promise<number> {
    const states = await this.store.findContactStates(manager);
    const changed = communities
      .map((community) => ({
        community,
        ids: community.members.filter((m) => m.type === 'registered' && m.verified).map((m) => m.building_id).sort(),
      }))
      .filter(({ community, ids }) => ids.length >= 2 && ids.join('\n') !== (states.get(community.community_id) ?? []).join('\n'));
    if (changed.length === 0) return 0;
    const records = new Map(
      (await this.records.findRegistered(manager, changed.flatMap(({ ids }) => ids))).map((b) => [b.buildingId, b]),
    );
    let queued = 0;
    for (const { community, ids } of changed) {
      const members = ids.map((id) => records.get(id)).filter((b): b is StoredRecord => b !== undefined);
      const contactLists = nearbyWindows(members, MAX_CONTACTS_PER_MAIL);
      for (const recipient of members) {
        const sent = await this.queueContactMail(manager, recipient, contactLists.get(recipient) ?? members, {
          key: `overview:${community.community_id}:${digest(ids)}:${recipient.buildingId}`,
          kind: 'contact-overview',
          autarkyPercent: community.autarky_percent,
          render: contactOverviewMail,
        });
        if (sent) queued++;
      }
      await this.store.saveContactState(manager, community.community_id, ids, at);
    }
    return queued;
  }

  /**
   * Stores contact states carried over from elsewhere on the communities that now contain their
   * members: each old member set goes to the community holding most of its confirmed full
   * registrations, as the part of it still there (merged with a state already stored). Returns how
   * many old sets found a community.
   */
  async seedContactStates(
    manager: EntityManager,
    communities: NotifiableCommunity[],
    oldSets: string[][],
    at: Date,
  ): Promise<{ seeded: number; unmatched: number }> {
    const stored = await this.store.findContactStates(manager);
    const confirmedOf = new Map(
      communities.map((c) => [c.community_id, new Set(c.members.filter((m) => m.type === 'registered' && m.verified).map((m) => m.building_id))]),
    );
    const merged = new Map<string, Set<string>>();
    let unmatched = 0;
    for (const oldSet of oldSets) {
      let best: { id: string; overlap: string[] } | undefined;
      for (const [id, confirmed] of confirmedOf) {
        const overlap = oldSet.filter((buildingId) => confirmed.has(buildingId));
        if (overlap.length > 0 && overlap.length > (best?.overlap.length ?? 0)) best = { id, overlap };
      }
      if (!best) {
        unmatched++;
        continue;
      }
      const state = merged.get(best.id) ?? new Set(stored.get(best.id) ?? []);
      best.overlap.forEach((buildingId) => state.add(buildingId));
      merged.set(best.id, state);
    }
    for (const [id, state] of merged) await this.store.saveContactState(manager, id, [...state], at);
    return { seeded: oldSets.length - unmatched, unmatched };
  }

  /**
   * When a full registration is confirmed, its confirmed neighbours within the community radius
   * hear about it (the new one marked as such), in the confirmation's transaction.
   */
  async notifyNeighboursOfConfirmation(manager: EntityManager, buildingId: string): Promise<number> {
    const [confirmed] = await this.records.findRegistered(manager, [buildingId]);
    if (!confirmed?.verified) return 0;
    const radiusM = this.config.get('CLUSTER_RADIUS_M', { infer: true });
    const neighbours = (await this.records.findRegisteredInBox(manager, boxAround(confirmed, radiusM))).filter(
      (b) => b.buildingId !== buildingId && b.verified && haversineMeters(b, confirmed) <= radiusM,
    );
    if (neighbours.length === 0) return 0;
    const members = [...neighbours, confirmed];
    const autarkyPercent = communityEnergy(
      members.map((b) => ({ annual_consumption_kwh: b.annualConsumptionKwh, potential_pv_kwp: b.potentialPvKwp })),
    ).autarky_percent;
    let queued = 0;
    for (const recipient of neighbours) {
      const sent = await this.queueContactMail(manager, recipient, members, {
        key: `new-neighbour:${buildingId}:${confirmed.verifiedAt?.getTime()}:${recipient.buildingId}`,
        kind: 'new-neighbour',
        autarkyPercent,
        render: newNeighbourMail,
        newId: buildingId,
      });
      if (sent) queued++;
    }
    return queued;
  }

  private async queueContactMail(
    manager: EntityManager,
    recipient: StoredRecord,
    members: StoredRecord[],
    mail: { key: string; kind: string; autarkyPercent: number; render: typeof contactOverviewMail; newId?: string },
  ): Promise<boolean> {
    const unsubscribe = await this.tokens.issue(manager, recipient.buildingId, 'unsubscribe', null);
    const queued = await this.mail.enqueue(manager, {
      idempotencyKey: mail.key,
      kind: mail.kind,
      buildingId: recipient.buildingId,
      mentions: members.map((b) => b.buildingId),
      to: recipient.email,
      ...mail.render({
        appName: this.config.get('APP_NAME', { infer: true }),
        recipientAddress: recipient.address,
        autarkyPercent: mail.autarkyPercent,
        members: members.map((b) => contactOf(b, b.buildingId === mail.newId)),
        unsubscribeUrl: unsubscribeUrl(this.config.get('APP_BASE_URL', { infer: true }), unsubscribe.token),
      }),
    });
    if (!queued) await this.tokens.revoke(manager, unsubscribe.hash);
    return queued;
  }
}

import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../building-records/building-record.events';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { lockBuilding, lockErasureGateExclusively } from '../building-records/record-locks';
import { advisoryKey } from '../common/advisory-lock';
import { CommunityChanges } from '../communities/recomputation/community-changes.service';
import { durationToMs, Env } from '../config/env.validation';
import { unsubscribeLinkMail } from '../mail/mail-templates';
import { MailQuota } from '../mail/mail-quota.service';
import { MailService } from '../mail/mail.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { TokensService } from '../tokens/tokens.service';
import { assertWellFormedToken, UNKNOWN_LINK } from './link-tokens';
import { unsubscribeUrl } from '../tokens/token-links';
import { OwnershipService } from './ownership/ownership.service';
import { UnsubscribeRequestQueue } from './unsubscribe-request.queue';

/** One unsubscribe-link mail per building and window, however often someone asks. */
const UNSUBSCRIBE_REQUEST_WINDOW_MS = 10 * 60 * 1000;
const UNSUBSCRIBE_REQUEST_BATCH = 50;

/** The right to erasure: a building and everything that refers to it disappear together. */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);
  /** The requests taken after the answer went out, so that tests and shutdown can wait for them. */
  private handling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly outbox: OutboxWorker,
    private readonly communities: CommunityChanges,
    private readonly events: EventEmitter2,
    private readonly ownership: OwnershipService,
    private readonly quota: MailQuota,
    private readonly unsubscribeRequests: UnsubscribeRequestQueue,
  ) {}

  /** An unsubscribe link erases the registration it was issued for; a claim's link withdraws the claim. */
  async unsubscribe(token: unknown): Promise<void> {
    assertWellFormedToken(token);
    const { buildingId, erasure } = await this.dataSource.transaction(async (manager) => {
      const stored = await this.tokens.findByToken(manager, token, 'unsubscribe');
      if (stored) return { buildingId: stored.buildingId, erasure: await this.eraseWithin(manager, stored.buildingId) };
      if (await this.ownership.withdraw(manager, token)) return { buildingId: null, erasure: { removed: false, mailCopies: [] } };
      throw new NotFoundException(UNKNOWN_LINK);
    });
    await this.mail.discardCopies(erasure.mailCopies);
    if (buildingId) this.events.emit(BuildingEvents.deleted, { buildingId });
  }

  /** Deletes a building by id (admin); false when there was no such building. */
  async erase(buildingId: string): Promise<boolean> {
    const erasure = await this.dataSource.transaction((manager) => this.eraseWithin(manager, buildingId));
    await this.mail.discardCopies(erasure.mailCopies);
    if (erasure.removed) this.events.emit(BuildingEvents.deleted, { buildingId });
    return erasure.removed;
  }

  /**
   * Removes the record (whichever table), its tokens, mails queued to it or mentioning it, its
   * community memberships and its place in any contact state, in the caller's transaction. Returns
   * the Message-IDs of those mails, whose delivered copies go once the transaction has committed.
   */
  private async eraseWithin(manager: EntityManager, buildingId: string): Promise<{ removed: boolean; mailCopies: string[] }> {
    await lockErasureGateExclusively(manager);
    await lockBuilding(manager, buildingId);
    const removed = await this.records.remove(manager, buildingId);
    await this.tokens.removeForBuilding(manager, buildingId);
    const mailCopies = await this.mail.removeForBuilding(manager, buildingId);
    await this.communities.erased(manager, buildingId);
    return { removed, mailCopies };
  }

  /**
   * Unconfirmed records whose confirmation link has expired are erased, with their tokens and
   * mails, in batches of one transaction each. Returns how many were erased.
   */
  async purgeUnconfirmed(batchSize: number): Promise<number> {
    const cutoff = new Date(Date.now() - durationToMs(this.config.get('VERIFICATION_TOKEN_TTL', { infer: true })));
    let erased = 0;
    let skipped = new Set<string>();
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const candidates = (await this.records.unconfirmedBefore(manager, cutoff, batchSize + skipped.size)).filter((id) => !skipped.has(id));
        const live = await this.tokens.withLiveVerification(manager, candidates);
        const expired = candidates.filter((id) => !live.has(id)).slice(0, batchSize);
        const mailCopies: string[] = [];
        for (const buildingId of expired) mailCopies.push(...(await this.eraseWithin(manager, buildingId)).mailCopies);
        return { candidates, live, expired, mailCopies };
      });
      await this.mail.discardCopies(batch.mailCopies);
      for (const buildingId of batch.expired) this.events.emit(BuildingEvents.deleted, { buildingId });
      erased += batch.expired.length;
      // A record with a live link (an imported one, or a clock step) stays; later batches look past it.
      skipped = new Set([...skipped, ...batch.live]);
      if (batch.expired.length === 0) return erased;
    }
  }

  /**
   * Queues a request for the unsubscribe links of an address. The answer is the same and takes the
   * same time whether or not the address is registered: the lookup happens after it.
   */
  async requestUnsubscribeLinks(email: string): Promise<void> {
    await this.unsubscribeRequests.add(email);
    this.handling = this.handling.then(() =>
      this.handleUnsubscribeRequests().catch((error: Error) => this.logger.warn(`Unsubscribe requests stay queued for the next housekeeping run: ${error.message}`)),
    );
  }

  /** Resolves once the requests queued so far have been handled (or left for housekeeping). */
  async unsubscribeRequestsHandled(): Promise<void> {
    await this.handling;
  }

  /**
   * Mails an unsubscribe link to every record of each queued address (at most one per building
   * every 10 minutes, and within the address's cap on link mails). Safe to run on every replica.
   */
  async handleUnsubscribeRequests(): Promise<number> {
    let sent = 0;
    for (;;) {
      const handled = await this.dataSource.transaction(async (manager) => {
        const emails = await this.unsubscribeRequests.take(manager, UNSUBSCRIBE_REQUEST_BATCH);
        for (const email of emails) sent += await this.mailUnsubscribeLinks(manager, email);
        return emails.length;
      });
      if (handled < UNSUBSCRIBE_REQUEST_BATCH) break;
    }
    if (sent > 0) this.outbox.kick();
    return sent;
  }

  private async mailUnsubscribeLinks(manager: EntityManager, email: string): Promise<number> {
    const records = await this.records.findByEmail(manager, email);
    if (records.length === 0 || !(await this.quota.reserve(manager, email, 'links'))) return 0;
    const window = Math.floor(Date.now() / UNSUBSCRIBE_REQUEST_WINDOW_MS);
    let queued = 0;
    for (const { record } of records) {
      const issued = await this.tokens.issue(manager, record.buildingId, 'unsubscribe', null);
      const enqueued = await this.mail.enqueue(manager, {
        idempotencyKey: `unsubscribe-link:${advisoryKey(record.buildingId)}:${window}`,
        kind: 'unsubscribe-link',
        buildingId: record.buildingId,
        to: record.email,
        ...unsubscribeLinkMail({
          appName: this.config.get('APP_NAME', { infer: true }),
          address: record.address,
          unsubscribeUrl: unsubscribeUrl(this.config.get('APP_BASE_URL', { infer: true }), issued.token),
        }),
      });
      if (enqueued) queued++;
      else await this.tokens.revoke(manager, issued.hash);
    }
    return queued;
  }
}

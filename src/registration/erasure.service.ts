import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../building-records/building-record.events';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { lockBuilding, lockErasureGateExclusively } from '../building-records/record-locks';
import { advisoryKey } from '../common/advisory-lock';
import { CommunityChanges } from '../communities/recomputation/community-changes.service';
import { Env } from '../config/env.validation';
import { unsubscribeLinkMail } from '../mail/mail-templates';
import { MailService } from '../mail/mail.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { TokensService } from '../tokens/tokens.service';
import { assertWellFormedToken, UNKNOWN_LINK } from './confirmation.service';
import { unsubscribeUrl } from '../tokens/token-links';

/** One unsubscribe-link mail per building and window, however often someone asks. */
const UNSUBSCRIBE_REQUEST_WINDOW_MS = 10 * 60 * 1000;

/** The right to erasure: a building and everything that refers to it disappear together. */
@Injectable()
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly outbox: OutboxWorker,
    private readonly communities: CommunityChanges,
    private readonly events: EventEmitter2,
  ) {}

  async unsubscribe(token: unknown): Promise<void> {
    assertWellFormedToken(token);
    const { buildingId, erasure } = await this.dataSource.transaction(async (manager) => {
      const stored = await this.tokens.findByToken(manager, token, 'unsubscribe');
      if (!stored) throw new NotFoundException(UNKNOWN_LINK);
      return { buildingId: stored.buildingId, erasure: await this.eraseWithin(manager, stored.buildingId) };
    });
    await this.mail.discardCopies(erasure.mailCopies);
    this.events.emit(BuildingEvents.deleted, { buildingId });
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
   * Mails an unsubscribe link to every record of the address. The caller always answers 202, so
   * nobody learns whether an address is registered (the previous version deleted by address).
   */
  async requestUnsubscribeLinks(email: string): Promise<void> {
    const sent = await this.dataSource.transaction(async (manager) => {
      const records = await this.records.findByEmail(manager, email);
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
    });
    if (sent > 0) this.outbox.kick();
  }
}

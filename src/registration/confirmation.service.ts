import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../building-records/building-record.events';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { lockBuilding, lockErasureGateShared } from '../building-records/record-locks';
import { ContactNotifier } from '../communities/notifications/contact-notifier.service';
import { CommunityChanges } from '../communities/recomputation/community-changes.service';
import { MailService } from '../mail/mail.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { OwnershipService } from './ownership/ownership.service';
import { assertWellFormedToken, UNKNOWN_LINK } from './link-tokens';
import { StoredLink, TokensService } from '../tokens/tokens.service';
import { ConfirmationResultDto } from './dto/confirmation-result.dto';

@Injectable()
export class ConfirmationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly records: BuildingRecordsService,
    private readonly notifier: ContactNotifier,
    private readonly changes: CommunityChanges,
    private readonly outbox: OutboxWorker,
    private readonly events: EventEmitter2,
    private readonly ownership: OwnershipService,
    private readonly mail: MailService,
  ) {}

  /**
   * Confirms the e-mail address behind a verification link, or the claimant's address behind a
   * claim's link (see OwnershipService). A used link still resolves (people click twice);
   * concurrent clicks confirm once.
   */
  async confirm(token: unknown): Promise<ConfirmationResultDto> {
    assertWellFormedToken(token);
    const { result, mailCopies, changed } = await this.dataSource.transaction(async (manager) => {
      const stored = await this.tokens.findByToken(manager, token, 'verification');
      if (stored) {
        const confirmed = await this.confirmWithin(manager, stored);
        return { result: confirmed, mailCopies: [], changed: !confirmed.already_verified };
      }
      const claimed = await this.ownership.confirm(manager, token);
      if (!claimed) throw new NotFoundException(UNKNOWN_LINK);
      return { result: claimed.result, mailCopies: claimed.applied?.mailCopies ?? [], changed: claimed.applied !== null };
    });
    await this.mail.discardCopies(mailCopies);
    if (result.already_verified) return result;
    this.outbox.kick();
    if (changed) this.events.emit(BuildingEvents.confirmed, { buildingId: result.building_id });
    return result;
  }

  private async confirmWithin(manager: EntityManager, stored: StoredLink): Promise<ConfirmationResultDto> {
    // Before the building lock: an erasure takes the gate first, then the building.
    await lockErasureGateShared(manager);
    await lockBuilding(manager, stored.buildingId);
    const found = await this.records.find(manager, stored.buildingId);
    if (!found) throw new NotFoundException(UNKNOWN_LINK);
    const confirmed = { building_id: stored.buildingId, verified: true as const };
    if (stored.usedAt || found.record.verified) {
      await this.tokens.markUsed(manager, stored.tokenHash, new Date());
      return { ...confirmed, already_verified: true };
    }
    if (stored.expiresAt && stored.expiresAt.getTime() < Date.now()) {
      throw new GoneException('This confirmation link has expired; please register again to receive a new one');
    }
    const now = new Date();
    const firstUse = await this.tokens.markUsed(manager, stored.tokenHash, now);
    const newlyVerified = firstUse && (await this.records.markVerified(manager, found, now));
    if (newlyVerified) {
      await this.changes.noted(manager, [stored.buildingId]);
      await this.notifier.notifyNeighboursOfConfirmation(manager, stored.buildingId);
    }
    return { ...confirmed, already_verified: !newlyVerified };
  }
}

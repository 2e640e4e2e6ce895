import { BadRequestException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../building-records/building-record.events';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { lockBuilding, lockErasureGateShared } from '../building-records/record-locks';
import { ContactNotifier } from '../communities/notifications/contact-notifier.service';
import { CommunityChanges } from '../communities/recomputation/community-changes.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { isWellFormedToken } from '../tokens/token-format';
import { TokensService } from '../tokens/tokens.service';
import { ConfirmationResultDto } from './dto/confirmation-result.dto';

/** Deliberately the same for every unknown token: a message must not reveal whose link it was. */
export const UNKNOWN_LINK = 'This link is unknown or has been replaced by a newer one';

export function assertWellFormedToken(token: unknown): asserts token is string {
  if (!isWellFormedToken(token)) throw new BadRequestException('token is malformed');
}

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
  ) {}

  /**
   * Confirms the e-mail address behind a verification link. A used link still resolves (people
   * click twice); concurrent clicks confirm once.
   */
  async confirm(token: unknown): Promise<ConfirmationResultDto> {
    assertWellFormedToken(token);
    const result = await this.dataSource.transaction((manager) => this.confirmWithin(manager, token));
    if (result.already_verified) return result;
    this.outbox.kick();
    this.events.emit(BuildingEvents.confirmed, { buildingId: result.building_id });
    return result;
  }

  private async confirmWithin(manager: EntityManager, token: string): Promise<ConfirmationResultDto> {
    // Before the building lock: an erasure takes the gate first, then the building.
    await lockErasureGateShared(manager);
    const stored = await this.tokens.findByToken(manager, token, 'verification');
    if (!stored) throw new NotFoundException(UNKNOWN_LINK);
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

import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { BuildingEvents } from '../../building-records/building-record.events';
import { MailService } from '../../mail/mail.service';
import { OutboxWorker } from '../../mail/outbox.worker';
import { assertWellFormedToken } from '../link-tokens';
import { HandoverDecision, OwnershipService } from './ownership.service';

/** The holder's answer to a handover request, in its own transaction, with what follows a commit. */
@Injectable()
export class HandoverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ownership: OwnershipService,
    private readonly mail: MailService,
    private readonly outbox: OutboxWorker,
    private readonly events: EventEmitter2,
  ) {}

  /** True when the registration passed to the other person. */
  async decide(token: unknown, decision: HandoverDecision): Promise<boolean> {
    assertWellFormedToken(token);
    const applied = await this.dataSource.transaction((manager) => this.ownership.decide(manager, token, decision));
    this.outbox.kick();
    if (!applied) return false;
    await this.mail.discardCopies(applied.mailCopies);
    this.events.emit(BuildingEvents.confirmed, { buildingId: applied.buildingId });
    return true;
  }
}

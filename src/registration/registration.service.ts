import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { BuildingEvents } from '../building-records/building-record.events';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { RecordInput } from '../building-records/record.repository';
import { lockBuilding } from '../building-records/record-locks';
import { durationToMs, Env } from '../config/env.validation';
import { verificationMail } from '../mail/mail-templates';
import { MailService } from '../mail/mail.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { TokensService } from '../tokens/tokens.service';
import { RegisterDto } from './dto/register.dto';
import { RegistrationResultDto } from './dto/registration-result.dto';
import { recordFieldsOf } from './record-fields';
import { confirmUrl, unsubscribeUrl } from '../tokens/token-links';
import { RecordType } from '../building-records/building-record';

@Injectable()
export class RegistrationService {
  private readonly verificationTtlMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly outbox: OutboxWorker,
    private readonly events: EventEmitter2,
  ) {
    this.verificationTtlMs = durationToMs(this.config.get('VERIFICATION_TOKEN_TTL', { infer: true }));
  }

  /**
   * Registers (or re-registers) a building in one transaction: the record in the table of the
   * owner's choice (leaving the other), fresh verification and unsubscribe tokens replacing the
   * unused verification links, and the confirmation e-mail in the outbox. Nothing remains if any step fails.
   */
  async register(dto: RegisterDto, type: RecordType): Promise<RegistrationResultDto> {
    const fields = recordFieldsOf(dto);
    await this.dataSource.transaction((manager) => this.registerWithin(manager, fields, type));
    this.outbox.kick();
    this.events.emit(BuildingEvents.registered, { buildingId: fields.buildingId });
    return { building_id: fields.buildingId, type, verified: false, verification_email_sent: true };
  }

  private async registerWithin(manager: EntityManager, fields: RecordInput, type: RecordType): Promise<void> {
    await lockBuilding(manager, fields.buildingId);
    await this.records.save(manager, type, fields);
    await this.tokens.revokeUnusedVerification(manager, fields.buildingId);
    const verification = await this.tokens.issue(
      manager,
      fields.buildingId,
      'verification',
      new Date(Date.now() + this.verificationTtlMs),
    );
    const unsubscribe = await this.tokens.issue(manager, fields.buildingId, 'unsubscribe', null);
    const baseUrl = this.config.get('APP_BASE_URL', { infer: true });
    await this.mail.enqueue(manager, {
      idempotencyKey: `verification:${verification.hash}`,
      kind: 'verification',
      buildingId: fields.buildingId,
      to: fields.email,
      ...verificationMail({
        appName: this.config.get('APP_NAME', { infer: true }),
        address: fields.address,
        confirmUrl: confirmUrl(baseUrl, verification.token),
        unsubscribeUrl: unsubscribeUrl(baseUrl, unsubscribe.token),
      }),
    });
  }
}

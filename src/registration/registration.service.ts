import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { ProfileSigner } from '../addresses/profile-signer.service';
import { BuildingEvents } from '../building-records/building-record.events';
import { CommunityChanges } from '../communities/recomputation/community-changes.service';
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
import { confirmUrl, unsubscribeUrl } from '../tokens/token-links';
import { RecordType } from '../building-records/building-record';

/** What a registration stored (the record as the address check signed it) and what the client is told. */
export type RegisteredBuilding = { result: RegistrationResultDto; record: RecordInput };

@Injectable()
export class RegistrationService {
  private readonly verificationTtlMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly signer: ProfileSigner,
    private readonly changes: CommunityChanges,
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
  async register(dto: RegisterDto, type: RecordType): Promise<RegisteredBuilding> {
    const fields = this.recordFieldsOf(dto);
    await this.dataSource.transaction((manager) => this.registerWithin(manager, fields, type));
    this.outbox.kick();
    this.events.emit(BuildingEvents.registered, { buildingId: fields.buildingId });
    return { result: { building_id: fields.buildingId, type, verified: false, verification_email_sent: true }, record: fields };
  }

  /**
   * The columns to store: the building's identity and position exactly as the address check signed
   * them, the owner's figures within their bounds. A hand-made or altered profile is refused (400
   * naming the field); an expired one asks the person to check the address again.
   */
  private recordFieldsOf(dto: RegisterDto): RecordInput {
    const verification = this.signer.verify({ ...dto.profile });
    if (!verification.ok) throw new BadRequestException(verification.message);
    const { accepted, signed } = verification;
    return {
      buildingId: accepted.building_id,
      email: dto.email,
      phone: dto.phone ?? null,
      address: accepted.address,
      plz: accepted.plz,
      lat: accepted.lat,
      lon: accepted.lon,
      buildingType: accepted.building_type,
      annualConsumptionKwh: accepted.annual_consumption_kwh,
      potentialPvKwp: accepted.potential_pv_kwp,
      profile: { ...accepted, source: signed.source },
    };
  }

  private async registerWithin(manager: EntityManager, fields: RecordInput, type: RecordType): Promise<void> {
    await lockBuilding(manager, fields.buildingId);
    const previous = await this.records.find(manager, fields.buildingId);
    await this.records.save(manager, type, fields);
    // A confirmed record registered again is unconfirmed again: it leaves the public data.
    if (previous?.record.verified) await this.changes.noted(manager, [fields.buildingId]);
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

import { BadRequestException, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { ProfileSigner } from '../addresses/profile-signer.service';
import { BuildingEvents } from '../building-records/building-record.events';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { RecordInput } from '../building-records/record.repository';
import { transactionLockingBuilding } from '../building-records/record-locks';
import { durationToMs, Env } from '../config/env.validation';
import { mailboxLimitMail, verificationMail } from '../mail/mail-templates';
import { mailboxOf } from '../common/mailbox';
import { MailQuota } from '../mail/mail-quota.service';
import { MailService } from '../mail/mail.service';
import { OutboxWorker } from '../mail/outbox.worker';
import { TokensService } from '../tokens/tokens.service';
import { RegisterDto } from './dto/register.dto';
import { RegistrationResultDto } from './dto/registration-result.dto';
import { confirmUrl, unsubscribeUrl } from '../tokens/token-links';
import { RecordType } from '../building-records/building-record';
import { OwnershipService, TOO_MANY_MAILS } from './ownership/ownership.service';
import { runTogether } from '../database/statement-parts';

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
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly outbox: OutboxWorker,
    private readonly events: EventEmitter2,
    private readonly ownership: OwnershipService,
    private readonly quota: MailQuota,
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
    const mailCopies = await transactionLockingBuilding(this.dataSource, fields.buildingId, (manager) => this.registerWithin(manager, fields, type));
    await this.mail.discardCopies(mailCopies);
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

  /**
   * Who may register what: a mailbox holds at most MAX_REGISTRATIONS_PER_MAILBOX registrations
   * (beyond, it is told so by mail, and the answer is the same as for a stored registration); every
   * registration costs its address one mail of the links class (429 when capped); a building held
   * confirmed is only claimed (OwnershipService); an unconfirmed one registered by another address
   * loses its earlier person's links and queued mails. Returns the Message-IDs of erased mails.
   */
  private async registerWithin(manager: EntityManager, fields: RecordInput, type: RecordType): Promise<string[]> {
    // Every check in one round trip, after the building's lock (the statement's snapshot must see its last registration).
    const mailbox = mailboxOf(fields.email);
    const checks = await runTogether(manager, {
      mayMail: this.quota.reservePart(fields.email, 'links'),
      records: this.records.mailboxCountPart(manager, mailbox, fields.buildingId),
      claims: this.ownership.mailboxCountPart(mailbox, fields.buildingId),
      previous: this.records.holderPart(manager, fields.buildingId),
    });
    if (!checks.mayMail) throw new HttpException(TOO_MANY_MAILS, HttpStatus.TOO_MANY_REQUESTS);
    // Registering one of one's own buildings again never counts against the limit (the counts leave it out).
    if (checks.records + checks.claims >= this.config.get('MAX_REGISTRATIONS_PER_MAILBOX', { infer: true })) {
      await this.tellMailboxIsFull(manager, fields);
      return [];
    }
    const previous = checks.previous;
    if (previous?.verified) {
      await this.ownership.claim(manager, fields, type);
      return [];
    }
    let mailCopies: string[] = [];
    if (previous && previous.email !== fields.email) {
      await this.tokens.removeForBuilding(manager, fields.buildingId);
      mailCopies = await this.mail.removeForBuilding(manager, fields.buildingId);
    }
    const links = this.tokens.newRegistrationLinks();
    const baseUrl = this.config.get('APP_BASE_URL', { infer: true });
    // The record, its links and its mail in one round trip: each changes rows of its own table only.
    await runTogether(manager, {
      record: this.records.savePart(manager, type, fields),
      links: this.tokens.registrationLinksPart(fields.buildingId, links, new Date(Date.now() + this.verificationTtlMs)),
      mail: this.mail.enqueuePart({
        idempotencyKey: `verification:${links.verification.hash}`,
        kind: 'verification',
        buildingId: fields.buildingId,
        to: fields.email,
        ...verificationMail({
          appName: this.config.get('APP_NAME', { infer: true }),
          address: fields.address,
          confirmUrl: confirmUrl(baseUrl, links.verification.token),
          unsubscribeUrl: unsubscribeUrl(baseUrl, links.unsubscribe.token),
        }),
      }),
    });
    return mailCopies;
  }

  private async tellMailboxIsFull(manager: EntityManager, fields: RecordInput): Promise<void> {
    await this.mail.enqueue(manager, {
      idempotencyKey: `mailbox-limit:${fields.buildingId}:${mailboxOf(fields.email)}:${Date.now()}`,
      kind: 'mailbox-limit',
      buildingId: null,
      to: fields.email,
      ...mailboxLimitMail({
        appName: this.config.get('APP_NAME', { infer: true }),
        address: fields.address,
        limit: this.config.get('MAX_REGISTRATIONS_PER_MAILBOX', { infer: true }),
      }),
    });
  }
}

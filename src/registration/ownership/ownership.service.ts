import { ConflictException, GoneException, HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { RecordType } from '../../building-records/building-record';
import { BuildingRecordsService } from '../../building-records/building-records.service';
import { lockBuilding, lockErasureGateExclusively } from '../../building-records/record-locks';
import { RecordInput } from '../../building-records/record.repository';
import { ContactNotifier } from '../../communities/notifications/contact-notifier.service';
import { CommunityChanges } from '../../communities/recomputation/community-changes.service';
import { durationToMs, Env } from '../../config/env.validation';
import { StatementPart } from '../../database/statement-parts';
import { MailQuota } from '../../mail/mail-quota.service';
import { handoverDeclinedMail, handoverDoneMail, handoverRequestMail, registrationActiveMail, verificationMail } from '../../mail/mail-templates';
import { MailService } from '../../mail/mail.service';
import { confirmUrl, handoverUrl, unsubscribeUrl } from '../../tokens/token-links';
import { generateToken, hashToken } from '../../tokens/token-format';
import { TokensService } from '../../tokens/tokens.service';
import { ConfirmationResultDto } from '../dto/confirmation-result.dto';
import { UNKNOWN_LINK } from '../link-tokens';
import { ClaimStore } from './claim.store';
import { RegistrationClaim } from './registration-claim.entity';

export const TOO_MANY_MAILS = 'Too many e-mails to this address recently; please try again later';

export type HandoverDecision = 'agree' | 'object';

/** What an applied claim leaves to do once its transaction has committed. */
export type AppliedClaim = { buildingId: string; mailCopies: string[] };

/**
 * A registration belongs to the person who confirmed it. A registration for a building that is
 * held confirmed becomes a claim: nothing of the holder's record changes until the claimant has
 * confirmed their e-mail address and then, unless it is the holder's own address, the holder has
 * agreed or has been told and let HANDOVER_WAIT pass without objecting. When the holder changes,
 * every link of the building is revoked, so the previous holder's unsubscribe link cannot erase
 * the new registration.
 */
@Injectable()
export class OwnershipService {
  private readonly linkTtlMs: number;
  private readonly handoverWaitMs: number;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly claims: ClaimStore,
    private readonly records: BuildingRecordsService,
    private readonly tokens: TokensService,
    private readonly mail: MailService,
    private readonly quota: MailQuota,
    private readonly changes: CommunityChanges,
    private readonly notifier: ContactNotifier,
  ) {
    this.linkTtlMs = durationToMs(this.config.get('VERIFICATION_TOKEN_TTL', { infer: true }));
    this.handoverWaitMs = durationToMs(this.config.get('HANDOVER_WAIT', { infer: true }));
  }

  private get appName(): string {
    return this.config.get('APP_NAME', { infer: true });
  }

  private get baseUrl(): string {
    return this.config.get('APP_BASE_URL', { infer: true });
  }

  /**
   * Stores the registration as a claim and mails its confirmation link, in the caller's transaction
   * (which holds the building's lock). The mail reads exactly like any confirmation mail: the
   * registrant learns only after confirming that the building was held.
   */
  async claim(manager: EntityManager, fields: RecordInput, type: RecordType): Promise<void> {
    const { email, phone, verified: _verified, verifiedAt: _verifiedAt, registeredAt: _registeredAt, ...record } = fields;
    const token = generateToken();
    await this.claims.save(manager, {
      buildingId: fields.buildingId,
      email,
      phone: phone ?? null,
      recordType: type,
      record,
      claimTokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.linkTtlMs),
    });
    await this.mail.enqueue(manager, {
      idempotencyKey: `claim:${hashToken(token)}`,
      kind: 'verification',
      buildingId: null,
      to: email,
      ...verificationMail({
        appName: this.appName,
        address: fields.address,
        confirmUrl: confirmUrl(this.baseUrl, token),
        unsubscribeUrl: unsubscribeUrl(this.baseUrl, token),
      }),
    });
  }

  /**
   * The claimant's confirmation link. Null when the token is no claim's. Applies the claim at once
   * when the building has no confirmed holder or the holder is the same address; otherwise asks
   * the holder (one claim per building waits for its holder at a time).
   */
  async confirm(manager: EntityManager, token: string): Promise<{ result: ConfirmationResultDto; applied: AppliedClaim | null } | null> {
    const hash = hashToken(token);
    if (!(await this.claims.hasClaimToken(manager, hash))) return null;
    // Gate before building, as erasures take them: applying a claim erases the previous holder's data.
    await lockErasureGateExclusively(manager);
    const claim = await this.claims.findByClaimToken(manager, hash);
    if (!claim) return null;
    const confirmed = { building_id: claim.buildingId, verified: true as const };
    if (claim.confirmedAt) return { result: { ...confirmed, already_verified: true, handover: { status: 'waiting', applies_at: claim.applyAfter!.toISOString() } }, applied: null };
    if (claim.expiresAt.getTime() < Date.now()) throw new GoneException('This confirmation link has expired; please register again to receive a new one');
    await lockBuilding(manager, claim.buildingId);
    const holder = await this.records.find(manager, claim.buildingId);
    if (!holder || !holder.record.verified || holder.record.email === claim.email) {
      const applied = await this.apply(manager, claim);
      return { result: { ...confirmed, already_verified: false, handover: { status: 'applied', applies_at: null } }, applied };
    }
    const waiting = await this.claims.waitingFor(manager, claim.buildingId);
    if (waiting) throw new ConflictException(`Another registration of this building is waiting for its current holder until ${waiting.applyAfter!.toISOString()}; please try again after that`);
    if (!(await this.quota.reserve(manager, holder.record.email, 'handover'))) throw new HttpException(TOO_MANY_MAILS, HttpStatus.TOO_MANY_REQUESTS);
    const holderToken = generateToken();
    const now = new Date();
    const appliesAt = new Date(now.getTime() + this.handoverWaitMs);
    await this.claims.markWaiting(manager, claim.id, { tokenHash: hashToken(holderToken), email: holder.record.email }, now, appliesAt);
    await this.mail.enqueue(manager, {
      idempotencyKey: `handover-request:${hashToken(holderToken)}`,
      kind: 'handover-request',
      buildingId: claim.buildingId,
      to: holder.record.email,
      ...handoverRequestMail({ appName: this.appName, address: holder.record.address, decideUrl: handoverUrl(this.baseUrl, holderToken), appliesAt }),
    });
    return { result: { ...confirmed, already_verified: false, handover: { status: 'waiting', applies_at: appliesAt.toISOString() } }, applied: null };
  }

  /** The holder's answer to a handover request. */
  async decide(manager: EntityManager, token: string, decision: HandoverDecision): Promise<AppliedClaim | null> {
    await lockErasureGateExclusively(manager);
    const claim = await this.claims.findByHolderToken(manager, hashToken(token));
    if (!claim) throw new NotFoundException(UNKNOWN_LINK);
    await lockBuilding(manager, claim.buildingId);
    const holder = await this.records.find(manager, claim.buildingId);
    if (holder && holder.record.email !== claim.holderEmail) {
      // The building changed hands meanwhile: the question was put to someone who no longer holds it.
      await this.claims.remove(manager, claim.id);
      throw new NotFoundException(UNKNOWN_LINK);
    }
    if (decision === 'agree') return this.apply(manager, claim);
    await this.claims.remove(manager, claim.id);
    await this.mail.enqueue(manager, {
      idempotencyKey: `handover-declined:${claim.id}:${claim.claimTokenHash}`,
      kind: 'handover-declined',
      buildingId: null,
      to: claim.email,
      ...handoverDeclinedMail({ appName: this.appName, address: claim.record.address }),
    });
    return null;
  }

  /** The claimant's own unsubscribe link withdraws the claim; false when the token is no claim's. */
  async withdraw(manager: EntityManager, token: string): Promise<boolean> {
    const claim = await this.claims.findByClaimToken(manager, hashToken(token));
    if (!claim) return false;
    await this.claims.remove(manager, claim.id);
    return true;
  }

  /** A claim whose holder let the waiting period pass; null when another replica took it or it is gone. */
  async applyDue(manager: EntityManager, id: string): Promise<AppliedClaim | null> {
    await lockErasureGateExclusively(manager);
    const claim = await this.claims.findById(manager, id);
    if (!claim?.applyAfter || claim.applyAfter.getTime() > Date.now()) return null;
    await lockBuilding(manager, claim.buildingId);
    const holder = await this.records.find(manager, claim.buildingId);
    if (holder?.record.verified && holder.record.email !== claim.holderEmail) {
      await this.claims.remove(manager, claim.id);
      return null;
    }
    return this.apply(manager, claim);
  }

  dueIds(manager: EntityManager, limit: number): Promise<string[]> {
    return this.claims.dueIds(manager, limit);
  }

  removeExpired(manager: EntityManager, limit: number): Promise<number> {
    return this.claims.removeExpired(manager, limit);
  }

  /** How many claims the mailbox has made, the given building's left out (a part for runTogether). */
  mailboxCountPart(mailbox: string, exceptBuildingId: string): StatementPart<number> {
    return this.claims.mailboxCountPart(mailbox, exceptBuildingId);
  }

  /**
   * The claim becomes the building's confirmed record. A new holder starts afresh: the previous
   * holder's links, queued mails and contact list go, the neighbours' lists change (they will hear
   * about the new holder), and the new holder gets an unsubscribe link of their own.
   */
  private async apply(manager: EntityManager, claim: RegistrationClaim): Promise<AppliedClaim> {
    const buildingId = claim.buildingId;
    const previous = await this.records.find(manager, buildingId);
    const newHolder = previous?.record.email !== claim.email;
    let mailCopies: string[] = [];
    if (previous && newHolder) {
      await this.tokens.removeForBuilding(manager, buildingId);
      mailCopies = await this.mail.removeForBuilding(manager, buildingId);
      await this.changes.erased(manager, buildingId);
      if (previous.record.verified) {
        await this.mail.enqueue(manager, {
          idempotencyKey: `handover-done:${claim.id}:${claim.claimTokenHash}`,
          kind: 'handover-done',
          buildingId: null,
          to: previous.record.email,
          ...handoverDoneMail({ appName: this.appName, address: previous.record.address }),
        });
      }
    }
    await this.records.save(manager, claim.recordType, { ...claim.record, email: claim.email, phone: claim.phone, verified: true, verifiedAt: new Date() });
    await this.changes.noted(manager, [buildingId]);
    if (!newHolder) {
      await this.claims.remove(manager, claim.id);
      return { buildingId, mailCopies };
    }
    await this.claims.removeForBuilding(manager, buildingId);
    const unsubscribe = await this.tokens.issue(manager, buildingId, 'unsubscribe', null);
    await this.mail.enqueue(manager, {
      idempotencyKey: `registration-active:${unsubscribe.hash}`,
      kind: 'registration-active',
      buildingId,
      to: claim.email,
      ...registrationActiveMail({ appName: this.appName, address: claim.record.address, unsubscribeUrl: unsubscribeUrl(this.baseUrl, unsubscribe.token) }),
    });
    await this.notifier.notifyNeighboursOfConfirmation(manager, buildingId);
    return { buildingId, mailCopies };
  }
}

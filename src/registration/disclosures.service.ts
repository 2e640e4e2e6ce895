import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { MailService } from '../mail/mail.service';
import { TokensService } from '../tokens/tokens.service';
import { DisclosuresDto } from './dto/confirmation-result.dto';
import { assertWellFormedToken, UNKNOWN_LINK } from './link-tokens';

/**
 * Every disclosure is on record: the contact mails that carried a person's details stay in the
 * outbox (without their content) with the recipient and the buildings they named. With their own
 * unsubscribe link a person sees which neighbours received their details, and when.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly records: BuildingRecordsService,
    private readonly mail: MailService,
  ) {}

  async forLink(token: unknown): Promise<DisclosuresDto> {
    assertWellFormedToken(token);
    const manager = this.dataSource.manager;
    const stored = await this.tokens.findByToken(manager, token, 'unsubscribe');
    if (!stored) throw new NotFoundException(UNKNOWN_LINK);
    const sent = await this.mail.disclosuresOf(manager, stored.buildingId);
    const recipients = sent.flatMap((row) => (row.recipient_id ? [row.recipient_id] : []));
    const addresses = new Map((await this.records.findRegistered(manager, [...new Set(recipients)])).map((record) => [record.buildingId, record.address]));
    return {
      disclosures: sent.map((row) => ({
        recipient_address: row.recipient_id ? (addresses.get(row.recipient_id) ?? null) : null,
        sent_at: new Date(row.sent_at).toISOString(),
      })),
    };
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecordType } from '../building-records/building-record';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { RecomputationService } from '../communities/recomputation/recomputation.service';
import { MailService } from '../mail/mail.service';
import { ErasureService } from '../registration/erasure.service';
import { TokenPurgeService } from '../tokens/token-purge.service';
import { TokensService } from '../tokens/tokens.service';
import {
  AdminRecordDto,
  AdminRecordPageDto,
  AdminStatsDto,
  PurgeResultDto,
  RecomputeResultDto,
  toAdminRecord,
} from './dto/admin-record.dto';
import { RecordQueryDto } from './dto/record-query.dto';

@Injectable()
export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: BuildingRecordsService,
    private readonly erasure: ErasureService,
    private readonly tokens: TokensService,
    private readonly purge: TokenPurgeService,
    private readonly mail: MailService,
    private readonly recomputation: RecomputationService,
  ) {}

  listBuildings(query: RecordQueryDto): Promise<AdminRecordPageDto> {
    return this.page('registered', query);
  }

  listInterestPool(query: RecordQueryDto): Promise<AdminRecordPageDto> {
    return this.page('anonymous', query);
  }

  private async page(type: RecordType, query: RecordQueryDto): Promise<AdminRecordPageDto> {
    const [records, total] = await this.records.page(this.dataSource.manager, type, query);
    return { items: records.map((record) => toAdminRecord(record, type)), page: query.page, limit: query.limit, total };
  }

  async findRecord(buildingId: string): Promise<AdminRecordDto> {
    const found = await this.records.find(this.dataSource.manager, buildingId);
    if (!found) throw new NotFoundException('No building with this id');
    return toAdminRecord(found.record, found.type);
  }

  async deleteRecord(buildingId: string): Promise<void> {
    if (!(await this.erasure.erase(buildingId))) throw new NotFoundException('No building with this id');
  }

  async stats(): Promise<AdminStatsDto> {
    const manager = this.dataSource.manager;
    const [records, tokens, outbox] = await Promise.all([this.records.counts(manager), this.tokens.counts(manager), this.mail.counts()]);
    return {
      records: { buildings: records.registered.total, interest_pool: records.anonymous.total },
      verified: { buildings: records.registered.verified, interest_pool: records.anonymous.verified },
      tokens,
      outbox,
    };
  }

  recompute(): Promise<RecomputeResultDto> {
    return this.recomputation.recomputeNow();
  }

  purgeTokens(): Promise<PurgeResultDto> {
    return this.purge.purgeNow();
  }
}

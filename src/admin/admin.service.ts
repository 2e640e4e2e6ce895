import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BuildingsService } from '../buildings/buildings.service';
import { RecomputationService } from '../clusters/recomputation.service';
import { BuildingRecordStore } from '../common/building-record.store';
import { BuildingRecord } from '../common/building-record';
import { InterestPoolService } from '../interest-pool/interest-pool.service';
import { MailService } from '../mail/mail.service';
import { BuildingDirectory } from '../registration/building-directory.service';
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
    private readonly buildings: BuildingsService,
    private readonly interestPool: InterestPoolService,
    private readonly directory: BuildingDirectory,
    private readonly erasure: ErasureService,
    private readonly tokens: TokensService,
    private readonly purge: TokenPurgeService,
    private readonly mail: MailService,
    private readonly recomputation: RecomputationService,
  ) {}

  listBuildings(query: RecordQueryDto): Promise<AdminRecordPageDto> {
    return this.page(this.buildings, 'registered', query);
  }

  listInterestPool(query: RecordQueryDto): Promise<AdminRecordPageDto> {
    return this.page(this.interestPool, 'anonymous', query);
  }

  private async page<T extends BuildingRecord>(
    store: BuildingRecordStore<T>,
    type: AdminRecordDto['type'],
    query: RecordQueryDto,
  ): Promise<AdminRecordPageDto> {
    const [records, total] = await store.findPage(this.dataSource.manager, query);
    return { items: records.map((record) => toAdminRecord(record, type)), page: query.page, limit: query.limit, total };
  }

  async findRecord(buildingId: string): Promise<AdminRecordDto> {
    const found = await this.directory.find(this.dataSource.manager, buildingId);
    if (!found) throw new NotFoundException('No building with this id');
    return toAdminRecord(found.record, found.type);
  }

  async deleteRecord(buildingId: string): Promise<void> {
    if (!(await this.erasure.erase(buildingId))) throw new NotFoundException('No building with this id');
  }

  async stats(): Promise<AdminStatsDto> {
    const manager = this.dataSource.manager;
    const [buildings, pool, tokens, outbox] = await Promise.all([
      this.buildings.counts(manager),
      this.interestPool.counts(manager),
      this.tokens.counts(manager),
      this.mail.counts(),
    ]);
    return {
      records: { buildings: buildings.total, interest_pool: pool.total },
      verified: { buildings: buildings.verified, interest_pool: pool.verified },
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

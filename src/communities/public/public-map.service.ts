import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { Env } from '../../config/env.validation';
import { CommunitySource } from '../recomputation/community-source';
import { CommunityStore } from '../store/community.store';
import { CommunitiesDto, CommunityDto, MapBuildingsDto } from './dto/public.dto';
import { prepare, PreparedResponse } from './prepared-response';
import { publicFigures } from './public-figures';
import { publicPositionFor } from './public-position';

function byPublishedRank(a: CommunityDto, b: CommunityDto): number {
  return (b.autarky_percent ?? -1) - (a.autarky_percent ?? -1) || b.num_members - a.num_members || (a.community_id < b.community_id ? -1 : 1);
}

/**
 * The public map data. Reading, jittering and serialising 100 000 records costs a few hundred
 * milliseconds, so it is done once per state of the data (a cheap fingerprint query tells whether
 * anything changed, also on other replicas) and served from memory, compressed, with an ETag.
 */
@Injectable()
export class PublicMapService {
  private buildingsCache?: { fingerprint: string; body: MapBuildingsDto; response: PreparedResponse };
  private communitiesCache?: { fingerprint: string; response: PreparedResponse };

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly source: CommunitySource,
    private readonly store: CommunityStore,
  ) {}

  async buildingsResponse(): Promise<PreparedResponse> {
    return (await this.currentBuildings()).response;
  }

  /** Every record at its public position, sorted by position (so the order tells nothing either). */
  async mapBuildings(): Promise<MapBuildingsDto> {
    return (await this.currentBuildings()).body;
  }

  private async currentBuildings(): Promise<{ body: MapBuildingsDto; response: PreparedResponse }> {
    const manager = this.dataSource.manager;
    const fingerprint = await this.source.fingerprint(manager);
    if (this.buildingsCache?.fingerprint === fingerprint) return this.buildingsCache;
    const records = await this.dataSource.transaction('REPEATABLE READ', (snapshot) => this.source.readAll(snapshot));
    const position = publicPositionFor(this.config);
    const body: MapBuildingsDto = {
      buildings: records
        .map((record) => ({ ...position(record), type: record.type }))
        .sort((a, b) => a.lat - b.lat || a.lon - b.lon),
    };
    this.buildingsCache = { fingerprint, body, response: prepare(`buildings:${fingerprint}`, body) };
    return this.buildingsCache;
  }

  async communitiesResponse(): Promise<PreparedResponse> {
    const manager = this.dataSource.manager;
    const stored = await this.store.findRecomputation(manager);
    const fingerprint = stored ? `${stored.computedAt.toISOString()}:${stored.sourceFingerprint}` : 'none';
    if (this.communitiesCache?.fingerprint === fingerprint) return this.communitiesCache.response;
    const body = await this.communities();
    const response = prepare(`communities:${fingerprint}`, body);
    this.communitiesCache = { fingerprint, response };
    return response;
  }

  async communities(): Promise<CommunitiesDto> {
    const ranked = await this.store.findRanked(this.dataSource.manager);
    const published = ranked.map((community) => ({
      community_id: community.id,
      num_members: community.numMembers,
      ...publicFigures(community.numMembers, {
        autarky_percent: community.autarkyPercent,
        total_consumption_mwh: community.totalConsumptionMwh,
        total_production_mwh: community.totalProductionMwh,
      }),
      members: community.memberPositions,
      polygon: community.polygon,
    }));
    // Ordered by what is published: the exact ranking would tell which of two equal-looking groups is ahead.
    return { clusters: published.sort(byPublishedRank) };
  }
}

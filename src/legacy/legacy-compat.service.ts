import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AddressSearchService } from '../addresses/address-search.service';
import { RecordType } from '../building-records/building-record';
import { ProvisionalGroupDto } from '../communities/public/dto/potential.dto';
import { PotentialService } from '../communities/public/potential.service';
import { PublicMapService } from '../communities/public/public-map.service';
import { publicPositionFor } from '../communities/public/public-position';
import { deriveKey } from '../config/app-secret';
import { Env } from '../config/env.validation';
import { RegisterDto } from '../registration/dto/register.dto';
import { RegistrationService } from '../registration/registration.service';
import {
  LegacyBuildingDto,
  LegacyCheckResultDto,
  LegacyClusterInfoDto,
  LegacyClustersDto,
  LegacyMemberDto,
  LegacyRegisterResultDto,
  LegacySuggestionsDto,
} from './dto/legacy.dto';

export const NO_PARTNERS = 'Keine direkten Partner gefunden.';
export const PARTNERS_FOUND = 'Partner gefunden! Wir haben passende Nachbarn identifiziert.';

/**
 * The previous version's routes on top of the current services. Where it exposed other people
 * (exact positions and building ids), the field names stay but the values are jittered positions
 * and ids derived from them with a server key: nothing leads back to a building.
 */
@Injectable()
export class LegacyCompatService {
  private readonly idKey: Buffer;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly potential: PotentialService,
    private readonly publicMap: PublicMapService,
    private readonly registration: RegistrationService,
    private readonly addresses: AddressSearchService,
  ) {
    this.idKey = deriveKey(this.config.get('APP_SECRET', { infer: true }) ?? '', 'legacy-public-id');
  }

  async suggest(query: string): Promise<LegacySuggestionsDto> {
    const found = await this.addresses.suggest(query);
    return { suggestions: found.map(({ label, lat, lon, plz }) => ({ label, lat, lon, plz })) };
  }

  async check(address: string): Promise<LegacyCheckResultDto> {
    const result = await this.potential.check({ address });
    const clusterInfo = this.clusterInfo(result.profile_summary.building_id, result.cluster_info);
    return clusterInfo
      ? { potential: true, message: PARTNERS_FOUND, cluster_info: clusterInfo, profile_summary: result.profile_summary }
      : { potential: false, message: NO_PARTNERS, profile_summary: result.profile_summary };
  }

  async register(dto: RegisterDto, type: RecordType): Promise<LegacyRegisterResultDto> {
    const { record } = await this.registration.register(dto, type);
    const own = { building_id: record.buildingId, lat: record.lat, lon: record.lon };
    const group = await this.potential.provisionalGroup({
      ...own,
      annual_consumption_kwh: record.annualConsumptionKwh,
      potential_pv_kwp: record.potentialPvKwp,
    });
    const clusterInfo = this.clusterInfo(record.buildingId, group);
    return {
      buildings: await this.othersOnMap(own),
      match_found: clusterInfo !== undefined,
      verification_email_sent: true,
      ...(clusterInfo ? { cluster_info: clusterInfo } : {}),
    };
  }

  async clusters(): Promise<LegacyClustersDto> {
    const { clusters } = await this.publicMap.publishedCommunities();
    return {
      clusters: clusters.map((community) => ({
        cluster_id: community.community_id,
        members: community.members.map((position) => this.opaqueMember(position)),
        polygon: community.polygon,
        autarky_percent: community.autarky_percent,
        num_members: community.num_members,
      })),
    };
  }

  /** The provisional group, the caller's building first with its own data, the others jittered and opaque. */
  private clusterInfo(ownId: string, group: ProvisionalGroupDto | null): LegacyClusterInfoDto | undefined {
    if (!group) return undefined;
    const [own, ...others] = group.members;
    return {
      community_id: 'provisional',
      num_members: group.num_members,
      members: [{ building_id: ownId, lat: own.lat, lon: own.lon }, ...others.map((p) => this.opaqueMember(p))],
      autarky_percent: group.autarky_percent,
    };
  }

  /** An id that is stable per building but derived from its public position only. */
  private opaqueMember(position: { lat: number; lon: number }): LegacyMemberDto {
    const id = createHmac('sha256', this.idKey).update(`${position.lat.toFixed(7)},${position.lon.toFixed(7)}`).digest('hex').slice(0, 10);
    return { building_id: id, lat: position.lat, lon: position.lon };
  }

  /** The public map without the caller's own marker (the page draws that one itself). */
  private async othersOnMap(own: { building_id: string; lat: number; lon: number }): Promise<LegacyBuildingDto[]> {
    const { buildings } = await this.publicMap.mapBuildings();
    const ownPosition = publicPositionFor(this.config)(own);
    const index = buildings.findIndex((b) => b.lat === ownPosition.lat && b.lon === ownPosition.lon);
    return index < 0 ? buildings : [...buildings.slice(0, index), ...buildings.slice(index + 1)];
  }

}

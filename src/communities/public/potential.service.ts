import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { BuildingRecordsService } from '../../building-records/building-records.service';
import { Env } from '../../config/env.validation';
import { communityEnergy } from '../engine/autarky';
import { haversineMeters } from '../../geo/geo';
import { boxAround } from '../../geo/geo-box';
import { AddressEstimator } from './address-estimator';
import { PotentialRequestDto, PotentialResultDto, ProfileSummaryDto } from './dto/potential.dto';
import { publicPositionFor } from './public-position';

/** "Can I find partners here?": the building plus every other record within the community radius. */
@Injectable()
export class PotentialService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly records: BuildingRecordsService,
    private readonly estimator: AddressEstimator,
  ) {}

  async check(request: PotentialRequestDto): Promise<PotentialResultDto> {
    const summary = await this.summarise(request);
    const radiusM = this.config.get('CLUSTER_RADIUS_M', { infer: true });
    const box = boxAround(summary, radiusM);
    const manager = this.dataSource.manager;
    const nearby = (await this.records.findInBox(manager, box)).map(({ record }) => record);
    const neighbours = nearby.filter((record) => record.buildingId !== summary.building_id && haversineMeters(record, summary) <= radiusM);
    const minSize = this.config.get('MIN_COMMUNITY_SIZE', { infer: true });
    if (neighbours.length + 1 < minSize) return { potential: false, profile_summary: summary, cluster_info: null };
    const position = publicPositionFor(this.config);
    const energy = communityEnergy([
      summary,
      ...neighbours.map((n) => ({ annual_consumption_kwh: n.annualConsumptionKwh, potential_pv_kwp: n.potentialPvKwp })),
    ]);
    return {
      potential: true,
      profile_summary: summary,
      cluster_info: {
        num_members: neighbours.length + 1,
        autarky_percent: energy.autarky_percent,
        members: [
          position({ building_id: summary.building_id ?? 'provisional', lat: summary.lat, lon: summary.lon }),
          ...neighbours.map((n) => position({ building_id: n.buildingId, lat: n.lat, lon: n.lon })),
        ],
      },
    };
  }

  private async summarise(request: PotentialRequestDto): Promise<ProfileSummaryDto> {
    if (request.profile) {
      return { building_id: null, address: null, plz: null, building_type: null, ...request.profile };
    }
    return this.estimator.estimate(request.address ?? '');
  }
}

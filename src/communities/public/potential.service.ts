import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AddressSearchService } from '../../addresses/address-search.service';
import { ProfileSigner } from '../../addresses/profile-signer.service';
import { Env } from '../../config/env.validation';
import { haversineMeters, LatLon } from '../../geo/geo';
import { boxAround } from '../../geo/geo-box';
import { EnergyMember, summedEnergy } from '../engine/autarky';
import { PotentialRequestDto, PotentialResultDto, ProvisionalGroupDto } from './dto/potential.dto';
import { largestMember, publicFigures } from './public-figures';
import { CommunityStore } from '../store/community.store';

type PublicNeighbour = LatLon & EnergyMember;

/** The building a provisional group forms around: the address checked, or the one just registered. */
export type GroupCentre = LatLon & EnergyMember & { building_id: string };

/**
 * "Can I find partners here?" for an address the server looks up. It answers only from what the
 * public map shows: confirmed registrations at their public (blurred) positions, never exact
 * distances to a registered building, and the group's figures coarsely (see publicFigures). A
 * registration shown within the community radius plus the blur radius of the building could be a
 * neighbour; the building itself never counts, so the answer is the same whether or not it is registered.
 */
@Injectable()
export class PotentialService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
    private readonly store: CommunityStore,
    private readonly addresses: AddressSearchService,
    private readonly signer: ProfileSigner,
  ) {}

  async check(request: PotentialRequestDto): Promise<PotentialResultDto> {
    const building = await this.addresses.building(request);
    const group = await this.provisionalGroup(building);
    return { potential: group !== null, profile_summary: this.signer.summary(building), cluster_info: group };
  }

  /** The building and the confirmed registrations shown around it, or null when too few are. */
  async provisionalGroup(centre: GroupCentre): Promise<ProvisionalGroupDto | null> {
    const neighbours = await this.publicNeighbours(centre);
    const minSize = this.config.get('MIN_COMMUNITY_SIZE', { infer: true });
    if (neighbours.length + 1 < minSize) return null;
    const group = [centre, ...neighbours];
    return {
      num_members: group.length,
      // The centre's figures are the caller's own (or the directory's estimate): only the others need hiding.
      autarky_percent: publicFigures(neighbours.length, summedEnergy(group), largestMember(group)).autarky_percent,
      members: [{ lat: centre.lat, lon: centre.lon }, ...neighbours.map(({ lat, lon }) => ({ lat, lon }))],
    };
  }

  /** Confirmed registrations whose public position lies within the radius plus the blur of the building. */
  private async publicNeighbours(building: GroupCentre): Promise<PublicNeighbour[]> {
    const reach = this.config.get('CLUSTER_RADIUS_M', { infer: true }) + this.config.get('ANONYMITY_RADIUS_M', { infer: true });
    const shown = await this.store.snapshotInPublicBox(this.dataSource.manager, boxAround(building, reach));
    return shown
      .filter((row) => row.building_id !== building.building_id)
      .map((row) => ({ lat: row.public_lat, lon: row.public_lon, annual_consumption_kwh: row.annual_consumption_kwh, potential_pv_kwp: row.potential_pv_kwp }))
      .filter((neighbour) => haversineMeters(neighbour, building) <= reach)
      .sort((a, b) => a.lat - b.lat || a.lon - b.lon);
  }
}

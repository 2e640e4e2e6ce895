import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsBuildingId, IsConsumptionKwh, IsPvKwp, IsRecordLatitude, IsRecordLongitude } from '../../../building-records/record-rules';
import { PublicPositionDto } from './public.dto';

export const ADDRESS_PATTERN = /^[\p{L}\p{M}\d ,.-]{5,200}$/u;

export class PotentialProfileDto {
  /** Leave out, or give the id from an earlier estimate so it is not counted as its own neighbour. */
  @IsOptional()
  @IsBuildingId('profile.building_id must be 1–100 characters of A–Z, a–z, 0–9, _ or -')
  building_id?: string;

  /** @example 47.4731 */
  @IsRecordLatitude({ type: 'profile.lat must be a finite number', range: 'profile.lat must be between 45.0 and 48.0' })
  lat!: number;

  /** @example 8.3066 */
  @IsRecordLongitude({ type: 'profile.lon must be a finite number', range: 'profile.lon must be between 5.0 and 11.0' })
  lon!: number;

  /** @example 12000 */
  @IsConsumptionKwh({ type: 'annual_consumption_kwh must be a finite number', range: 'annual_consumption_kwh must be between 0 and 100000000' })
  annual_consumption_kwh!: number;

  /** @example 9 */
  @IsPvKwp({ type: 'potential_pv_kwp must be a finite number', range: 'potential_pv_kwp must be between 0 and 100000' })
  potential_pv_kwp!: number;
}

/** Either a profile (coordinates and figures) or an address to estimate one from. */
export class PotentialRequestDto {
  @ValidateIf((dto: PotentialRequestDto) => dto.address === undefined || dto.profile !== undefined)
  @IsDefined({ message: 'profile or address is required' })
  @IsObject({ message: 'profile must be an object' })
  @ValidateNested()
  @Type(() => PotentialProfileDto)
  profile?: PotentialProfileDto;

  /** Street, number and place; letters (with umlauts and accents), digits, spaces and , . - only. @example "Badstrasse 12, 5400 Baden" */
  @ValidateIf((dto: PotentialRequestDto) => dto.profile === undefined || dto.address !== undefined)
  @IsString({ message: 'address must be a string' })
  @Matches(ADDRESS_PATTERN, { message: 'address must be 5–200 characters: letters, digits, spaces and , . -' })
  address?: string;
}

export class ProfileSummaryDto {
  /** @example "3f2a9b0c1d" */
  building_id!: string | null;
  /** @example "Badstrasse 12, 5400 Baden" */
  address!: string | null;
  /** @example 5400 */
  plz!: number | null;
  /** @example 47.4731 */
  lat!: number;
  /** @example 8.3066 */
  lon!: number;
  /** @example "EFH" */
  building_type!: string | null;
  /** @example 12000 */
  annual_consumption_kwh!: number;
  /** @example 9 */
  potential_pv_kwp!: number;
}

export class ProvisionalGroupDto {
  /** The building itself plus every registered neighbour within the community radius. @example 3 */
  num_members!: number;
  /** @example 41.7 */
  autarky_percent!: number;
  members!: PublicPositionDto[];
}

export class PotentialResultDto {
  /** True when at least one other registered building is within the community radius. @example true */
  potential!: boolean;
  profile_summary!: ProfileSummaryDto;
  cluster_info!: ProvisionalGroupDto | null;
}

import { IsString, Matches, ValidateIf } from 'class-validator';
import { ProfileSummaryDto } from '../../../addresses/dto/profile-summary.dto';
import { IsBuildingId } from '../../../building-records/record-rules';
import { PublicPositionDto } from './public.dto';

export const ADDRESS_PATTERN = /^[\p{L}\p{M}\d ,.-]{5,200}$/u;

/** An address, or the building id of an address suggestion: never coordinates (the server looks them up). */
export class PotentialRequestDto {
  /** Street, number and place; letters (with umlauts and accents), digits, spaces and , . - only. @example "Badstrasse 12, 5400 Baden" */
  @ValidateIf((dto: PotentialRequestDto) => dto.building_id === undefined)
  @Matches(ADDRESS_PATTERN, { message: 'address must be 5–200 characters: letters, digits, spaces and , . -' })
  @IsString({ message: 'address or building_id is required' })
  address?: string;

  /** The `building_id` of a suggestion from GET /api/addresses, instead of the address. */
  @ValidateIf((dto: PotentialRequestDto) => dto.building_id !== undefined)
  @IsBuildingId('building_id must be 1–100 characters of A–Z, a–z, 0–9, _ or -')
  building_id?: string;
}

export class ProvisionalGroupDto {
  /** This building plus the confirmed registrations shown around it. @example 4 */
  num_members!: number;
  /**
   * The group's share of demand its own solar power could cover, in steps of 5 %; null while the
   * group is too small to hide one member's figures. @example 35
   */
  autarky_percent!: number | null;
  /** This building's position first, then the others at their public (blurred) positions. */
  members!: PublicPositionDto[];
}

export class PotentialResultDto {
  /** True when confirmed registrations are shown near this building. @example true */
  potential!: boolean;
  profile_summary!: ProfileSummaryDto;
  cluster_info!: ProvisionalGroupDto | null;
}

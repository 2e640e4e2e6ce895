import { IsString, Matches } from 'class-validator';
import { ProfileSummaryDto } from '../../addresses/dto/profile-summary.dto';
import { ADDRESS_PATTERN } from '../../communities/public/dto/potential.dto';
import { ApiPolygonProperty } from '../../communities/public/dto/public.dto';

/** What the previous version's page sends to check an address. */
export class LegacyCheckRequestDto {
  /** @example "Badstrasse 12, 5400 Baden" */
  @IsString({ message: 'address must be a string' })
  @Matches(ADDRESS_PATTERN, { message: 'address must be 5–200 characters: letters, digits, spaces and , . -' })
  address!: string;
}

/** One address suggestion in the previous version's shape (positions of addresses are public facts). */
export class LegacySuggestionDto {
  /** @example "Badstrasse 12, 5400 Baden" */
  label!: string;
  /** @example 47.4731 */
  lat!: number;
  /** @example 8.3066 */
  lon!: number;
  /** @example 5400 */
  plz!: number;
}

export class LegacySuggestionsDto {
  suggestions!: LegacySuggestionDto[];
}

/** A member position: the caller's own building with its own data, everybody else jittered with an opaque id. */
export class LegacyMemberDto {
  /** Opaque for other people (a keyed hash of the jittered position). @example "4be1f0a9c2" */
  building_id!: string;
  /** @example 47.47412 */
  lat!: number;
  /** @example 8.30655 */
  lon!: number;
}

export class LegacyClusterInfoDto {
  /** Always "provisional": the group around this building, not a stored community. @example "provisional" */
  community_id!: string;
  /** @example 3 */
  num_members!: number;
  members!: LegacyMemberDto[];
  /** In 5 % steps; null while the group is too small to hide one member's figures. @example 40 */
  autarky_percent!: number | null;
}

export class LegacyCheckResultDto {
  /** @example true */
  potential!: boolean;
  /** @example "Partner gefunden! Wir haben passende Nachbarn identifiziert." */
  message!: string;
  /** Only when potential is true. */
  cluster_info?: LegacyClusterInfoDto;
  profile_summary!: ProfileSummaryDto;
}

export class LegacyBuildingDto {
  /** Jittered. @example 47.47412 */
  lat!: number;
  /** Jittered. @example 8.30655 */
  lon!: number;
  /** @example "registered" */
  type!: 'anonymous' | 'registered';
}

export class LegacyBuildingsDto {
  buildings!: LegacyBuildingDto[];
}

export class LegacyRegisterResultDto {
  /** The map positions of everybody else (jittered). */
  buildings!: LegacyBuildingDto[];
  /** @example true */
  match_found!: boolean;
  /** @example true */
  verification_email_sent!: true;
  /** Only when match_found is true. */
  cluster_info?: LegacyClusterInfoDto;
}

export class LegacyClusterDto {
  /** @example "c_3f2a9b0c1d2e4f56" */
  cluster_id!: string;
  members!: LegacyMemberDto[];
  @ApiPolygonProperty()
  polygon!: [number, number][];
  /** In 5 % steps; null while the community is too small to hide one member's figures. @example 40 */
  autarky_percent!: number | null;
  /** @example 4 */
  num_members!: number;
}

export class LegacyClustersDto {
  clusters!: LegacyClusterDto[];
}

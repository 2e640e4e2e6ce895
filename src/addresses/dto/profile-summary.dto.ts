import { ApiProperty } from '@nestjs/swagger';

class BoundsDto {
  /** @example 1125 */
  min!: number;
  /** @example 18000 */
  max!: number;
}

/** How far the owner may correct the directory's estimates when registering. */
export class CorrectionBoundsDto {
  annual_consumption_kwh!: BoundsDto;
  potential_pv_kwp!: BoundsDto;
}

/**
 * The directory's profile of a building, signed by this server: send it back unchanged as `profile`
 * to register (the owner may correct consumption and PV within `correction_bounds`).
 */
export class ProfileSummaryDto {
  /** The federal building identifier (EGID), or a demo id with the offline directory. @example "demo-baden-badstrasse-12" */
  building_id!: string;
  /** @example "Badstrasse 12, 5400 Baden" */
  address!: string;
  /** @example 5400 */
  plz!: number;
  /** @example "Baden" */
  municipality!: string;
  /** The building's position (a public fact of the address). @example 47.4731 */
  lat!: number;
  /** @example 8.3066 */
  lon!: number;
  /** EFH (single-family), MFH (multi-family) or non-residential. @example "EFH" */
  building_type!: string;
  /** An estimate from the building register, not a measurement. @example 4500 */
  annual_consumption_kwh!: number;
  /** From the building's suitable roof area. @example 8.4 */
  potential_pv_kwp!: number;
  /** Suitable roof area. @example 56 */
  roof_area_m2!: number;
  /** `geoadmin` (federal data) or `offline-demo` (demo data, not real). @example "geoadmin" */
  source!: string;
  /** True for the offline demo gazetteer. @example false */
  demo!: boolean;
  correction_bounds!: CorrectionBoundsDto;
  /** The server's signature over this profile; registration needs it. Valid until profile_expires_at. */
  @ApiProperty({ example: 'v1.eyJidWlsZGluZ19pZCI6ImRlbW8tYmFkZW4tYmFkc3RyYXNzZS0xMiJ9.c2lnbmF0dXJl' })
  profile_token!: string;
  /** @example "2026-12-03T10:00:00.000Z" */
  profile_expires_at!: string;
}

import { Allow, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBuildingId, IsConsumptionKwh, IsPvKwp, IsRecordLatitude, IsRecordLongitude } from '../../building-records/record-rules';

/**
 * The profile of the address check (`profile_summary`), sent back to register. Its token is the
 * server's signature over the building's identity and the directory's estimates: the position,
 * building id, address and postcode are taken from it, never from the client. The other fields
 * may be left out; when sent they must equal the signed ones, except the owner's corrections of
 * `annual_consumption_kwh` and `potential_pv_kwp` within the bounds the answer states.
 */
export class SignedProfileDto {
  /** The signature from `profile_summary.profile_token` (valid for a day). @example "v1.eyJidWlsZGluZ19pZCI6…" */
  @IsString({ message: 'profile.profile_token is required: check the address first and send the profile it returns' })
  @MaxLength(4000, { message: 'profile.profile_token is not a token from the address check' })
  profile_token!: string;

  /** @example "demo-baden-badstrasse-12" */
  @IsOptional()
  @IsBuildingId('profile.building_id must be 1–100 characters of A–Z, a–z, 0–9, _ or -')
  building_id?: string;

  /** @example 47.4731 */
  @IsOptional()
  @IsRecordLatitude({ type: 'profile.lat must be a finite number', range: 'profile.lat must be between 45.0 and 48.0' })
  lat?: number;

  /** @example 8.3066 */
  @IsOptional()
  @IsRecordLongitude({ type: 'profile.lon must be a finite number', range: 'profile.lon must be between 5.0 and 11.0' })
  lon?: number;

  /** @example "Badstrasse 12, 5400 Baden" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string;

  /** @example 5400 */
  @IsOptional()
  @IsInt({ message: 'profile.plz must be a 4-digit Swiss postcode' })
  @Min(1000, { message: 'profile.plz must be a 4-digit Swiss postcode' })
  @Max(9999, { message: 'profile.plz must be a 4-digit Swiss postcode' })
  plz?: number;

  /** @example "Baden" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  municipality?: string;

  /** @example "EFH" */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  building_type?: string;

  /** The owner may correct the estimate (a quarter to four times it; see `correction_bounds`). @example 4500 */
  @IsOptional()
  @IsConsumptionKwh({ type: 'profile.annual_consumption_kwh must be a finite number', range: 'profile.annual_consumption_kwh is out of range' })
  annual_consumption_kwh?: number;

  /** The owner may correct the estimate (0 up to what the roof holds; see `correction_bounds`). @example 8.4 */
  @IsOptional()
  @IsPvKwp({ type: 'profile.potential_pv_kwp must be a finite number', range: 'profile.potential_pv_kwp is out of range' })
  potential_pv_kwp?: number;

  /** Echoed from the address check and ignored: the signed values count. */
  @Allow()
  roof_area_m2?: unknown;

  /** Echoed from the address check and ignored. */
  @Allow()
  source?: unknown;

  /** Echoed from the address check and ignored. */
  @Allow()
  demo?: unknown;

  /** Echoed from the address check and ignored. */
  @Allow()
  profile_expires_at?: unknown;

  /** Echoed from the address check and ignored. */
  @Allow()
  correction_bounds?: unknown;
}

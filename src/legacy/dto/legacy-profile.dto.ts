import { plainToInstance, Transform } from 'class-transformer';
import {
  IsInt,
  IsObject,
  ValidateNested,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { IsBuildingId, IsConsumptionKwh, IsPvKwp, IsRecordLatitude, IsRecordLongitude } from '../../building-records/record-rules';
import { stripMarkup } from '../../registration/dto/normalise';
import { RegistrantDto } from '../../registration/dto/registrant.dto';

const EXTRA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_EXTRA_KEYS = 30;
const MAX_EXTRA_STRING = 500;

function isExtraValue(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= MAX_EXTRA_STRING;
}

/** Extra profile fields are kept as submitted, but only as a small flat map of plain values. */
function IsFlatExtras(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFlatExtras',
      validator: {
        validate: (value: unknown) => {
          if (value === undefined) return true;
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= MAX_EXTRA_KEYS && entries.every(([key, extra]) => EXTRA_KEY.test(key) && isExtraValue(extra));
        },
        defaultMessage: () =>
          `extra profile fields must be at most ${MAX_EXTRA_KEYS} names of letters, digits and _ with a number, ` +
          `a string of at most ${MAX_EXTRA_STRING} characters, true/false or null`,
      },
    },
    options,
  );
}

/**
 * A building profile as the previous version stored it: position and figures from its own address
 * check (operators' data, imported as it is), unknown fields kept as a small flat map.
 */
export class LegacyProfileDto {
  /** Letters, digits, `_` and `-`, 1–100 characters. @example "b08f389fab" */
  @IsBuildingId('building_id must be 1–100 characters of A–Z, a–z, 0–9, _ or -')
  building_id!: string;

  /** Latitude (WGS 84), within 45.0–48.0. @example 47.4731 */
  @IsRecordLatitude({ type: 'lat must be a finite number', range: 'lat must be between 45.0 and 48.0' })
  lat!: number;

  /** Longitude (WGS 84), within 5.0–11.0. @example 8.3066 */
  @IsRecordLongitude({ type: 'lon must be a finite number', range: 'lon must be between 5.0 and 11.0' })
  lon!: number;

  /** Street address; markup is removed. @example "Badstrasse 12, 5400 Baden" */
  @IsOptional()
  @Transform(({ value }) => stripMarkup(value))
  @IsString()
  @MaxLength(200)
  address?: string | null;

  /** Swiss postcode. @example 5400 */
  @IsOptional()
  @IsInt({ message: 'plz must be a 4-digit Swiss postcode' })
  @Min(1000, { message: 'plz must be a 4-digit Swiss postcode' })
  @Max(9999, { message: 'plz must be a 4-digit Swiss postcode' })
  plz?: number | null;

  /** Kind of building, e.g. EFH (single-family) or MFH (multi-family). @example "EFH" */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @Matches(/^[\p{L}\p{N} ._-]+$/u, { message: 'building_type may contain letters, digits, spaces, . _ and -' })
  building_type?: string | null;

  /** Estimated electricity demand per year in kWh. @example 12000 */
  @IsOptional()
  @IsConsumptionKwh({ type: 'annual_consumption_kwh must be a finite number', range: 'annual_consumption_kwh must be between 0 and 100000000' })
  annual_consumption_kwh?: number;

  /** Potential photovoltaic peak power of the roof in kWp. @example 9 */
  @IsOptional()
  @IsPvKwp({ type: 'potential_pv_kwp must be a finite number', range: 'potential_pv_kwp must be between 0 and 100000' })
  potential_pv_kwp?: number;

  /** Further fields of the previous version's profile, kept as they were (collectProfileExtras gathers them here). */
  @IsOptional()
  @IsFlatExtras()
  extras?: Record<string, string | number | boolean | null>;
}

const KNOWN_PROFILE_KEYS = new Set(['building_id', 'lat', 'lon', 'address', 'plz', 'building_type', 'annual_consumption_kwh', 'potential_pv_kwp']);

/**
 * Moves the fields the service does not interpret into `extras`, so that the whitelist keeps them
 * (validated as a flat map) instead of rejecting the request.
 */
export function collectProfileExtras(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const known: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (KNOWN_PROFILE_KEYS.has(key)) known[key] = field;
    else extras[key] = field;
  }
  return Object.keys(extras).length > 0 ? { ...known, extras } : known;
}

/** A record of the previous version's database.json, validated with the contact rules of a registration. */
export class LegacyRegistrationDto extends RegistrantDto {
  @Transform(({ value }) => {
    const collected = collectProfileExtras(value);
    return collected && typeof collected === 'object' ? plainToInstance(LegacyProfileDto, collected) : collected;
  })
  @IsObject({ message: 'profile must be an object' })
  @ValidateNested()
  profile!: LegacyProfileDto;
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNumber, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { BUILDING_ID_PATTERN } from './building-record';

/** The value ranges of a building record, shared by every way a record comes in (API, import, planner CLI). */
export const RECORD_RANGES = {
  /** Switzerland and its surroundings (WGS 84); the database CHECKs say the same. */
  lat: { min: 45, max: 48 },
  lon: { min: 5, max: 11 },
  annualConsumptionKwh: { min: 0, max: 100_000_000 },
  potentialPvKwp: { min: 0, max: 100_000 },
} as const;

type Range = { min: number; max: number };
export type RuleMessages = { type: string; range: string };

const FINITE = { allowNaN: false, allowInfinity: false };

const MAX_EMAIL_LENGTH = 320;

/** No C0 control, DEL or Unicode line or paragraph separator anywhere. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const WITHOUT_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f\u2028\u2029]*$/;

/**
 * An e-mail address, checked alike wherever one comes in (registration, legacy import, unsubscribe
 * request, admin filter). IsEmail accepts CR/LF and other control characters inside a quoted local
 * part; such an address would break the lines of a plain-text mail and could inject headers.
 * The API schema says what the rule says (the Swagger plugin cannot see through a composed decorator).
 */
export function IsEmailAddress(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'email', maxLength: MAX_EMAIL_LENGTH }),
    IsString({ message: '$property must be an e-mail address' }),
    MaxLength(MAX_EMAIL_LENGTH, { message: `$property must be at most ${MAX_EMAIL_LENGTH} characters` }),
    Matches(WITHOUT_CONTROL_CHARACTERS, { message: '$property must not contain line breaks or other control characters' }),
    IsEmail({}, { message: '$property must be a valid e-mail address' }),
  );
}

export function IsBuildingId(message: string): PropertyDecorator {
  return applyDecorators(IsString({ message }), Matches(BUILDING_ID_PATTERN, { message }));
}

function IsNumberIn(range: Range, messages: RuleMessages): PropertyDecorator {
  return applyDecorators(IsNumber(FINITE, { message: messages.type }), Min(range.min, { message: messages.range }), Max(range.max, { message: messages.range }));
}

export const IsRecordLatitude = (messages: RuleMessages): PropertyDecorator => IsNumberIn(RECORD_RANGES.lat, messages);
export const IsRecordLongitude = (messages: RuleMessages): PropertyDecorator => IsNumberIn(RECORD_RANGES.lon, messages);
export const IsConsumptionKwh = (messages: RuleMessages): PropertyDecorator => IsNumberIn(RECORD_RANGES.annualConsumptionKwh, messages);
export const IsPvKwp = (messages: RuleMessages): PropertyDecorator => IsNumberIn(RECORD_RANGES.potentialPvKwp, messages);

import { applyDecorators } from '@nestjs/common';
import { IsNumber, IsString, Matches, Max, Min } from 'class-validator';
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

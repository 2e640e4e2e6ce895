import { BuildingRecordFields, RECORD_FIELDS } from './building-record';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Stable JSON for comparing profiles (jsonb does not keep key order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : false;
  }
  if (isPlainObject(a) || isPlainObject(b)) return canonicalJson(a) === canonicalJson(b);
  return a === b;
}

/** True when writing `given` over `stored` would change nothing a person could see. */
export function sameRecordContent(given: BuildingRecordFields, stored: BuildingRecordFields): boolean {
  return RECORD_FIELDS.every((field) => sameValue(given[field], stored[field]));
}

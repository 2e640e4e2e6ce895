import { extname } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse as parseCsv } from 'csv-parse/sync';
import { EngineBuilding } from '../engine/communities';
import { PlannerBuildingDto } from './planner-building.dto';

/** A problem the user can fix: printed without a stack trace, with exit code 2. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/** Plain decimal notation only: Number() alone would also accept '', '0x1A' and 'Infinity'. */
export const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const REQUIRED_FIELDS = ['building_id', 'lat', 'lon', 'annual_consumption_kwh', 'potential_pv_kwp'] as const;
const NUMBER_FIELDS = ['lat', 'lon', 'annual_consumption_kwh', 'potential_pv_kwp'] as const;
const MAX_ERRORS_SHOWN = 20;

/** One building as read, before validation, with where it came from for error messages. */
interface RawRow {
  where: string;
  fields: Record<string, unknown>;
}

/**
 * Reads a planner's file (CSV with a header, or JSON: an array, `{ "buildings": [...] }`, or the
 * previous version's database.json) and validates every row with the rules of a registration,
 * reporting all problems at once so that a planner can fix a file in one go.
 */
export function readPlannerBuildings(file: string, readFile: (path: string) => string): EngineBuilding[] {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  return validateRows(isJson(file, text) ? jsonRows(file, text) : csvRows(file, text));
}

/** By extension; otherwise by the first character, since a CSV header cannot start with [ or {. */
function isJson(file: string, text: string): boolean {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return true;
  if (ext === '.csv') return false;
  return /^\uFEFF?\s*[[{]/.test(text);
}

function jsonRows(file: string, text: string): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const container = isObject(data) && 'buildings' in data ? data.buildings : data;
  if (Array.isArray(container)) {
    return container.map((value, i) => ({ where: `row ${i + 1}`, fields: asFields(value, `row ${i + 1}`) }));
  }
  if (isObject(container)) {
    return Object.entries(container).map(([key, value], i) => {
      const where = `row ${i + 1} (key "${key}")`;
      const fields = asFields(value, where);
      // The previous version's database.json nests the building under "profile" and keys it by id.
      const profile = isObject(fields.profile) ? fields.profile : fields;
      return { where, fields: { building_id: key, ...profile } };
    });
  }
  throw new InputError(`${file}: expected an array of buildings, { "buildings": ... } or an object keyed by building id`);
}

function asFields(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw new InputError(`${where}: expected an object with the building's fields`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface CsvRecord {
  info: { lines: number };
  record: Record<string, string>;
}

function csvRows(file: string, text: string): RawRow[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, { columns: true, info: true, bom: true, trim: true, skip_empty_lines: true }) as unknown as CsvRecord[];
  } catch (error) {
    throw new InputError(`${file} is not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const header = records.length > 0 ? Object.keys(records[0].record) : [];
  const missing = REQUIRED_FIELDS.filter((field) => !header.includes(field));
  if (records.length > 0 && missing.length > 0) {
    throw new InputError(`${file} line 1: the header lacks the column(s) ${missing.join(', ')}`);
  }
  return records.map(({ info, record }, i) => ({ where: `line ${info.lines} (data row ${i + 1})`, fields: record }));
}

function validateRows(rows: RawRow[]): EngineBuilding[] {
  const errors: string[] = [];
  const buildings: EngineBuilding[] = [];
  const firstSeen = new Map<string, string>();
  for (const row of rows) {
    const building = validateRow(row, errors);
    if (building === undefined) continue;
    const earlier = firstSeen.get(building.building_id);
    if (earlier !== undefined) {
      errors.push(`${row.where}: field "building_id": "${building.building_id}" already appears at ${earlier}`);
      continue;
    }
    firstSeen.set(building.building_id, row.where);
    buildings.push(building);
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS_SHOWN);
    const more = errors.length > shown.length ? `\n... and ${errors.length - shown.length} more` : '';
    throw new InputError(`${errors.length} invalid value(s):\n  ${shown.join('\n  ')}${more}`);
  }
  return buildings;
}

function validateRow({ where, fields }: RawRow, errors: string[]): EngineBuilding | undefined {
  const candidate: Record<string, unknown> = { building_id: typeof fields.building_id === 'string' ? fields.building_id.trim() : fields.building_id };
  for (const field of NUMBER_FIELDS) candidate[field] = toNumber(fields[field]) ?? fields[field];
  const problems = validateSync(plainToInstance(PlannerBuildingDto, candidate), { stopAtFirstError: true });
  for (const problem of problems) {
    const message = Object.values(problem.constraints ?? {})[0];
    errors.push(`${where}: field "${problem.property}": ${message}, got ${describe(fields[problem.property])}`);
  }
  if (problems.length > 0) return undefined;
  return {
    building_id: candidate.building_id as string,
    lat: candidate.lat as number,
    lon: candidate.lon as number,
    annual_consumption_kwh: candidate.annual_consumption_kwh as number,
    potential_pv_kwp: candidate.potential_pv_kwp as number,
  };
}

/** Numbers, and numbers written as strings (CSV, or JSON exported by a spreadsheet). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined || value === '') return 'nothing';
  // JSON.stringify gives undefined for functions and symbols, which JSON input cannot hold anyway.
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

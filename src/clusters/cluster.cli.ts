import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { buildCommunities, communityPolygonOf, EngineBuilding } from './engine/communities';
import { communityIdFor } from './engine/community-id';

/**
 * Planner's command line: clusters a file of buildings into communities and prints them ranked by autarky.
 *   npm run cluster -- <buildings.json|buildings.csv> [--radius 150] [--min-size 2]
 */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string;
  /** Milliseconds, for the timing in the summary line. */
  now?: () => number;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const DEFAULT_RADIUS_M = 150;
const DEFAULT_MIN_SIZE = 2;
const MAX_ERRORS_SHOWN = 20;

const USAGE = `Usage: npm run cluster -- <buildings.json|buildings.csv> [--radius 150] [--min-size 2]

Reads buildings (building_id, lat, lon, annual_consumption_kwh, potential_pv_kwp; other columns are ignored)
and prints their communities, ranked by autarky, as JSON on stdout.

  --radius <metres>   neighbour distance (default ${DEFAULT_RADIUS_M})
  --min-size <count>  buildings, itself included, a building needs within the radius to anchor a community
                      (DBSCAN min_samples, default ${DEFAULT_MIN_SIZE})

JSON input: an array of buildings, { "buildings": [...] }, or an object keyed by building id whose values hold
the fields directly or in a "profile" object (the previous version's database.json).
CSV input: a header row naming the columns.
`;

const REQUIRED_FIELDS = ['building_id', 'lat', 'lon', 'annual_consumption_kwh', 'potential_pv_kwp'] as const;
const BUILDING_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
/** Plain decimal notation only: Number() alone would also accept '', '0x1A' and 'Infinity'. */
const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Options {
  file: string;
  radiusM: number;
  minSize: number;
}

/** A problem the user can fix: printed without a stack trace, with exit code 2. */
class InputError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/** One building as read, before validation, with where it came from for error messages. */
interface RawRow {
  where: string;
  fields: Record<string, unknown>;
}

export function runClusterCli(argv: string[], io: CliIo): number {
  const now = io.now ?? (() => performance.now());
  const started = now();
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const buildings = validateRows(readRows(options.file, io));
    const ranked = buildCommunities(buildings, { radiusM: options.radiusM, minSamples: options.minSize });
    const communities = ranked.map((community, index) => ({
      rank: index + 1,
      community_id: communityIdFor(community.member_ids),
      num_members: community.num_members,
      autarky_percent: round(community.autarky_percent, 2),
      total_consumption_mwh: round(community.total_consumption_mwh, 3),
      total_production_mwh: round(community.total_production_mwh, 3),
      members: community.member_ids,
      // The planner's own file: exact positions are fine here, unlike on the public map.
      polygon: communityPolygonOf(community).map(([lat, lon]) => [round(lat, 7), round(lon, 7)]),
    }));
    io.stdout(JSON.stringify({ communities }, null, 2) + '\n');
    const clustered = ranked.reduce((sum, c) => sum + c.num_members, 0);
    io.stderr(summaryLine(buildings.length, communities.length, buildings.length - clustered, options, now() - started) + '\n');
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`error: ${error.message}\n`);
      if (error.showUsage) {
        io.stderr('\n' + USAGE);
      }
      return EXIT_USAGE;
    }
    io.stderr(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

function parseArgs(argv: string[]): Options | 'help' {
  const files: string[] = [];
  let radiusM = DEFAULT_RADIUS_M;
  let minSize = DEFAULT_MIN_SIZE;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      return 'help';
    }
    if (!arg.startsWith('--') || arg === '-') {
      files.push(arg);
      continue;
    }
    const [name, inlineValue] = splitOption(arg);
    const value = inlineValue ?? argv[++i];
    if (value === undefined) {
      throw new InputError(`${name} needs a value`, true);
    }
    if (name === '--radius') {
      radiusM = parseOptionNumber(name, value, (n) => n > 0 && n <= 100_000, 'a distance in metres, > 0');
    } else if (name === '--min-size') {
      minSize = parseOptionNumber(name, value, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
    } else {
      throw new InputError(`unknown option ${name}`, true);
    }
  }
  if (files.length !== 1) {
    throw new InputError(files.length === 0 ? 'no input file given' : `expected one input file, got ${files.length}`, true);
  }
  return { file: files[0], radiusM, minSize };
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function parseOptionNumber(name: string, value: string, isValid: (n: number) => boolean, expected: string): number {
  const n = DECIMAL_PATTERN.test(value.trim()) ? Number(value) : Number.NaN;
  if (!isValid(n)) {
    throw new InputError(`${name} expects ${expected}, got "${value}"`, true);
  }
  return n;
}

function readRows(file: string, io: CliIo): RawRow[] {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  return isJson(file, text) ? jsonRows(file, text) : csvRows(file, text);
}

/** By extension; otherwise by the first character, since a CSV header cannot start with [ or {. */
function isJson(file: string, text: string): boolean {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    return true;
  }
  if (ext === '.csv') {
    return false;
  }
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
  if (!isObject(value)) {
    throw new InputError(`${where}: expected an object with the building's fields`);
  }
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

/** Checks every row and reports all problems at once, so a planner can fix a file in one go. */
function validateRows(rows: RawRow[]): EngineBuilding[] {
  const errors: string[] = [];
  const buildings: EngineBuilding[] = [];
  const firstSeen = new Map<string, string>();
  for (const row of rows) {
    const rowErrors: string[] = [];
    const building = validateRow(row, rowErrors);
    if (building !== undefined) {
      const earlier = firstSeen.get(building.building_id);
      if (earlier !== undefined) {
        rowErrors.push(`${row.where}: field "building_id": "${building.building_id}" already appears at ${earlier}`);
      } else {
        firstSeen.set(building.building_id, row.where);
        buildings.push(building);
      }
    }
    errors.push(...rowErrors);
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS_SHOWN);
    const more = errors.length > shown.length ? `\n... and ${errors.length - shown.length} more` : '';
    throw new InputError(`${errors.length} invalid value(s):\n  ${shown.join('\n  ')}${more}`);
  }
  return buildings;
}

function validateRow({ where, fields }: RawRow, errors: string[]): EngineBuilding | undefined {
  const fail = (field: string, message: string): undefined => {
    errors.push(`${where}: field "${field}": ${message}`);
    return undefined;
  };
  const id = fields.building_id;
  const buildingId =
    typeof id === 'string' && BUILDING_ID_PATTERN.test(id.trim())
      ? id.trim()
      : fail('building_id', `expected 1–100 letters, digits, _ or -, got ${describe(id)}`);
  const lat = numberField(fields, 'lat', fail, (n) => n >= 45 && n <= 48, 'a latitude between 45 and 48');
  const lon = numberField(fields, 'lon', fail, (n) => n >= 5 && n <= 11, 'a longitude between 5 and 11');
  const kwh = numberField(fields, 'annual_consumption_kwh', fail, (n) => n >= 0, 'a number of kWh ≥ 0');
  const kwp = numberField(fields, 'potential_pv_kwp', fail, (n) => n >= 0, 'a number of kWp ≥ 0');
  if (buildingId === undefined || lat === undefined || lon === undefined || kwh === undefined || kwp === undefined) {
    return undefined;
  }
  return { building_id: buildingId, lat, lon, annual_consumption_kwh: kwh, potential_pv_kwp: kwp };
}

function numberField(
  fields: Record<string, unknown>,
  field: string,
  fail: (field: string, message: string) => undefined,
  isValid: (n: number) => boolean,
  expected: string,
): number | undefined {
  const value = fields[field];
  const n = toNumber(value);
  if (n === undefined || !isValid(n)) {
    return fail(field, `expected ${expected}, got ${describe(value)}`);
  }
  return n;
}

/** Numbers, and numbers written as strings (CSV, or JSON exported by a spreadsheet). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined || value === '') {
    return 'nothing';
  }
  // JSON.stringify gives undefined for functions and symbols, which JSON input cannot hold anyway.
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function summaryLine(total: number, communities: number, alone: number, options: Options, elapsedMs: number): string {
  // With min size 2, a building outside every community has no neighbour at all; above, it may have a few.
  const outside = options.minSize <= 2 ? `without neighbour within ${options.radiusM} m` : 'in no community';
  return (
    `${plural(total, 'building')}, ${plural(communities, 'community', 'communities')}, ${alone} ${outside} ` +
    `(radius ${options.radiusM} m, min size ${options.minSize}) in ${Math.round(elapsedMs)} ms`
  );
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

if (require.main === module) {
  process.exitCode = runClusterCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path, 'utf8'),
  });
}

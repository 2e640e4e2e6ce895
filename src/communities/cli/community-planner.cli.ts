import { readFileSync } from 'node:fs';
import { buildCommunities, communityPolygonOf } from '../engine/communities';
import { communityIdFor } from '../engine/community-id';
import { DECIMAL_PATTERN, InputError, readPlannerBuildings } from './planner-input';

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

interface Options {
  file: string;
  radiusM: number;
  minSize: number;
}

export function runPlannerCli(argv: string[], io: CliIo): number {
  const now = io.now ?? (() => performance.now());
  const started = now();
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const buildings = readPlannerBuildings(options.file, io.readFile);
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
  process.exitCode = runPlannerCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path, 'utf8'),
  });
}

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CliIo, EXIT_OK, EXIT_USAGE, runPlannerCli } from './community-planner.cli';
import { energyFromTotals } from '../engine/autarky';
import { communityIdFor } from '../engine/community-id';

const ROOT = resolve(__dirname, '..', '..', '..');
const CSV_FIXTURE = join(ROOT, 'test/fixtures/community-candidates.csv');
const JSON_FIXTURE = join(ROOT, 'test/fixtures/community-candidates.json');

interface CliCommunity {
  rank: number;
  community_id: string;
  num_members: number;
  autarky_percent: number;
  total_consumption_mwh: number;
  total_production_mwh: number;
  members: string[];
  polygon: [number, number][];
}

/** Runs the CLI against real files plus in-memory ones, capturing its output. */
function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readFile: (path) => files[path] ?? readFileSync(path, 'utf8'),
  };
  const code = runPlannerCli(argv, io);
  const communities = (): CliCommunity[] => (JSON.parse(stdout) as { communities: CliCommunity[] }).communities;
  return { code, stdout, stderr, communities };
}

const HEADER = 'building_id,lat,lon,annual_consumption_kwh,potential_pv_kwp';

describe(runPlannerCli.name, () => {
  describe('with the example files', () => {
    // Hand-measured distances in the fixture: a1–a2 67 m, a2–a3 67 m, a3–a4 89 m, a2–a4 149.4 m, a1–a3 134 m;
    // b1–b2 67 m, b2–b3 94 m, b1–b3 113 m; c1–c2 111 m; n1, n2 and n3 are more than 1 km from everyone.
    const groupA = ['a1', 'a2', 'a3', 'a4'];
    const groupB = ['b1', 'b2', 'b3'];
    const groupC = ['c1', 'c2'];

    it('should print the communities ranked by autarky, with their figures and a summary', () => {
      const result = run([CSV_FIXTURE]);
      expect(result.code).toBe(EXIT_OK);
      const communities = result.communities();

      // Totals summed by hand from the CSV: A 5200+4300+12500+3900 kWh and 7.5+0+22.4+5.1 kWp, and so on.
      const figures = {
        a: energyFromTotals(25_900, 35),
        b: energyFromTotals(19_300, 7.8),
        c: energyFromTotals(7_700, 18.7),
      };
      expect(figures.c.autarky_percent).toBeGreaterThan(figures.a.autarky_percent);
      expect(figures.a.autarky_percent).toBeGreaterThan(figures.b.autarky_percent);
      expect(communities.map((c) => c.members)).toEqual([groupC, groupA, groupB]);
      expect(communities.map((c) => c.rank)).toEqual([1, 2, 3]);
      expect(communities.map((c) => c.num_members)).toEqual([2, 4, 3]);
      expect(communities.map((c) => c.total_consumption_mwh)).toEqual([7.7, 25.9, 19.3]);
      expect(communities[1].autarky_percent).toBeCloseTo(figures.a.autarky_percent, 2);
      expect(communities[1].total_production_mwh).toBeCloseTo(figures.a.total_production_mwh, 3);
      expect(communities[0].community_id).toBe(communityIdFor(groupC));

      expect(result.stderr).toMatch(/^12 buildings, 3 communities, 3 without neighbour within 150 m \(radius 150 m, min size 2\) in \d+ ms\n$/);
    });

    it('should outline each community from the exact positions', () => {
      const [pair, , triangle] = run([CSV_FIXTURE]).communities();
      // c1 (47.456, 8.295) and c2 (47.457, 8.295): their box widened by 0.0003°.
      expect(pair.polygon).toEqual([
        [47.4557, 8.2947],
        [47.4557, 8.2953],
        [47.4573, 8.2953],
        [47.4573, 8.2947],
        [47.4557, 8.2947],
      ]);
      // b1, b3 and b2 counter-clockwise (longitude as x), closed.
      expect(triangle.polygon).toEqual([
        [47.466, 8.327],
        [47.466, 8.3285],
        [47.4665, 8.3275],
        [47.466, 8.327],
      ]);
    });

    it('should read the previous version\'s database.json layout to the same result', () => {
      const fromCsv = run([CSV_FIXTURE]);
      const fromJson = run([JSON_FIXTURE]);
      expect(fromJson.code).toBe(EXIT_OK);
      expect(fromJson.stdout).toBe(fromCsv.stdout);
    });

    it('should honour --radius, in both spellings', () => {
      // At 100 m: A stays a chain (67, 67, 89 m), B too (67, 94 m), c1–c2 (111 m) falls apart.
      for (const argv of [[CSV_FIXTURE, '--radius', '100'], ['--radius=100', CSV_FIXTURE]]) {
        const result = run(argv);
        expect(result.code).toBe(EXIT_OK);
        expect(result.communities().map((c) => c.members).sort()).toEqual([groupA, groupB]);
        expect(result.stderr).toMatch(/^12 buildings, 2 communities, 5 without neighbour within 100 m \(radius 100 m, min size 2\)/);
      }
    });

    it('should honour --min-size', () => {
      // With 3, every building of A and B has at least two neighbours; c1 and c2 have one each.
      const result = run([CSV_FIXTURE, '--min-size', '3']);
      expect(result.code).toBe(EXIT_OK);
      expect(result.communities().map((c) => c.members).sort()).toEqual([groupA, groupB]);
      expect(result.stderr).toMatch(/^12 buildings, 2 communities, 5 in no community \(radius 150 m, min size 3\)/);
    });
  });

  describe('with other input layouts', () => {
    it('should accept a JSON array, numbers given as strings and extra keys', () => {
      const json = JSON.stringify([
        { building_id: 'x1', lat: '47.47', lon: '8.3', annual_consumption_kwh: '4000', potential_pv_kwp: 5, note: 'extra' },
        { building_id: 'x2', lat: 47.4705, lon: 8.3, annual_consumption_kwh: 3000, potential_pv_kwp: '0' },
      ]);
      const result = run(['in.json'], { 'in.json': json });
      expect(result.code).toBe(EXIT_OK);
      expect(result.communities()[0]).toMatchObject({ members: ['x1', 'x2'], total_consumption_mwh: 7 });
    });

    it('should accept { "buildings": [...] }', () => {
      const json = JSON.stringify({
        buildings: [
          { building_id: 'x1', lat: 47.47, lon: 8.3, annual_consumption_kwh: 1, potential_pv_kwp: 0 },
          { building_id: 'x2', lat: 47.47, lon: 8.3, annual_consumption_kwh: 1, potential_pv_kwp: 0 },
        ],
      });
      expect(run(['in.json'], { 'in.json': json }).communities()[0].members).toEqual(['x1', 'x2']);
    });

    it('should take the key as building id when an object keyed by id omits it', () => {
      const json = JSON.stringify({
        k1: { lat: 47.47, lon: 8.3, annual_consumption_kwh: 1, potential_pv_kwp: 0 },
        k2: { lat: 47.47, lon: 8.3, annual_consumption_kwh: 1, potential_pv_kwp: 0 },
      });
      expect(run(['in.json'], { 'in.json': json }).communities()[0].members).toEqual(['k1', 'k2']);
    });

    it('should print an empty list for a file with a header only', () => {
      const result = run(['in.csv'], { 'in.csv': HEADER + '\n' });
      expect(result.code).toBe(EXIT_OK);
      expect(result.communities()).toEqual([]);
      expect(result.stderr).toMatch(/^0 buildings, 0 communities, 0 without neighbour/);
    });
  });

  describe('with bad input', () => {
    it('should name the CSV line, data row and field of a bad value', () => {
      const csv = [HEADER, 'a1,47.47,8.30,4000,5', 'a2,47.47,8.30,4000,5', 'a3,91.2,8.30,4000,5'].join('\n');
      const result = run(['bad.csv'], { 'bad.csv': csv });
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('line 4 (data row 3): field "lat": expected a latitude between 45 and 48, got "91.2"');
    });

    it('should report every bad row at once', () => {
      const csv = [HEADER, 'bad id!,47.47,8.30,4000,5', 'ok,47.47,4.0,-1,abc'].join('\n');
      const result = run(['bad.csv'], { 'bad.csv': csv });
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain('4 invalid value(s)');
      expect(result.stderr).toContain('line 2 (data row 1): field "building_id"');
      expect(result.stderr).toContain('line 3 (data row 2): field "lon"');
      expect(result.stderr).toContain('line 3 (data row 2): field "annual_consumption_kwh"');
      expect(result.stderr).toContain('line 3 (data row 2): field "potential_pv_kwp"');
    });

    it('should name the JSON row of a bad value', () => {
      const json = JSON.stringify([
        { building_id: 'x1', lat: 47.47, lon: 8.3, annual_consumption_kwh: 1, potential_pv_kwp: 0 },
        { building_id: 'x2', lat: 47.47, lon: 8.3, annual_consumption_kwh: 1 },
      ]);
      const result = run(['bad.json'], { 'bad.json': json });
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain('row 2: field "potential_pv_kwp": expected a number of kWp ≥ 0, got nothing');
    });

    it('should refuse an empty string where a number belongs', () => {
      const result = run(['bad.csv'], { 'bad.csv': [HEADER, 'x1,47.47,8.3,,0'].join('\n') });
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain('line 2 (data row 1): field "annual_consumption_kwh"');
    });

    it('should refuse a building id that appears twice', () => {
      const csv = [HEADER, 'x1,47.47,8.3,1,0', 'x1,47.48,8.3,1,0'].join('\n');
      const result = run(['dup.csv'], { 'dup.csv': csv });
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain('line 3 (data row 2): field "building_id": "x1" already appears at line 2 (data row 1)');
    });

    it('should name the columns a CSV header lacks', () => {
      const result = run(['bad.csv'], { 'bad.csv': 'building_id,lat,lon\nx1,47.47,8.3\n' });
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain('line 1: the header lacks the column(s) annual_consumption_kwh, potential_pv_kwp');
    });

    it('should report malformed CSV and JSON', () => {
      const csv = run(['bad.csv'], { 'bad.csv': `${HEADER}\nx1,47.47,8.3\n` });
      expect(csv.code).toBe(EXIT_USAGE);
      expect(csv.stderr).toContain('bad.csv is not valid CSV');
      const json = run(['bad.json'], { 'bad.json': '[{"building_id": ' });
      expect(json.code).toBe(EXIT_USAGE);
      expect(json.stderr).toContain('bad.json is not valid JSON');
      const shape = run(['bad.json'], { 'bad.json': '42' });
      expect(shape.code).toBe(EXIT_USAGE);
      expect(shape.stderr).toContain('expected an array of buildings');
    });

    it('should explain an unreadable file and show the usage', () => {
      const result = run([join(ROOT, 'test/fixtures/does-not-exist.csv')]);
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain('cannot read');
      expect(result.stderr).toContain('Usage: npm run cluster');
    });

    it.each([
      [[], 'no input file given'],
      [['a.csv', 'b.csv'], 'expected one input file, got 2'],
      [['a.csv', '--radius'], '--radius needs a value'],
      [['a.csv', '--radius', 'abc'], '--radius expects a distance in metres, > 0, got "abc"'],
      [['a.csv', '--radius', '0'], '--radius expects a distance in metres'],
      [['a.csv', '--min-size', '2.5'], '--min-size expects a whole number ≥ 1, got "2.5"'],
      [['a.csv', '--colour', 'red'], 'unknown option --colour'],
    ])('should refuse the arguments %j with a message and the usage', (argv, message) => {
      const result = run(argv);
      expect(result.code).toBe(EXIT_USAGE);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('Usage: npm run cluster');
    });

    it('should print the usage on stdout for --help', () => {
      const result = run(['--help']);
      expect(result.code).toBe(EXIT_OK);
      expect(result.stdout).toContain('Usage: npm run cluster');
    });
  });

  describe('as a command', () => {
    const execFileAsync = promisify(execFile);

    it('should run end to end through ts-node', async () => {
      const { stdout, stderr } = await execFileAsync('npx', ['ts-node', '--transpile-only', 'src/communities/cli/community-planner.cli.ts', 'test/fixtures/community-candidates.csv'], {
        cwd: ROOT,
      });
      const { communities } = JSON.parse(stdout) as { communities: CliCommunity[] };
      expect(communities.map((c) => c.members[0])).toEqual(['c1', 'a1', 'b1']);
      expect(stderr).toMatch(/^12 buildings, 3 communities/);
    }, 60_000);

    it('should exit with code 2 on a bad file', async () => {
      const failure = execFileAsync('npx', ['ts-node', '--transpile-only', 'src/communities/cli/community-planner.cli.ts', 'test/fixtures/does-not-exist.csv'], {
        cwd: ROOT,
      });
      await expect(failure).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
    }, 60_000);
  });
});

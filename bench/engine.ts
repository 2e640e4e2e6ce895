/**
 * `npx ts-node --transpile-only bench/engine.ts [--sizes=100000,1000000] [--runs=7] [--previous-runs=5,1]`
 *
 * Times buildCommunities(generateBuildings(n), { radiusM: 150, minSamples: 2 }) against the engine as it was before
 * the performance rewrite (bench/previous-engine.ts), in one process so that both see the same machine, and checks
 * that both give the same communities: at 150 m / minSamples 2 for every size, and at the radii and minimum sizes
 * in PARITY_OPTIONS for the smallest.
 *
 * --runs: timed runs of the current engine per size, after one warm-up run.
 * --previous-runs: timed runs of the previous engine per size (0 skips it); it takes minutes per run at 1 000 000.
 */
import { buildCommunities, RankedCommunity } from '../src/communities/engine/communities';
import { ClusterOptions } from '../src/communities/engine/dbscan';
import { GeneratedBuilding, generateBuildings } from './generator';
import { PreviousCommunity, previousBuildCommunities } from './previous-engine';
import { summarise, Summary } from './support';

const OPTIONS: ClusterOptions = { radiusM: 150, minSamples: 2 };
const PARITY_OPTIONS: ClusterOptions[] = [
  { radiusM: 150, minSamples: 3 },
  { radiusM: 50, minSamples: 2 },
  { radiusM: 50, minSamples: 3 },
];

type Community = RankedCommunity<GeneratedBuilding> | PreviousCommunity<GeneratedBuilding>;

function numbers(name: string, fallback: number[]): number[] {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3).split(',').map(Number) : fallback;
}

function timed<T>(run: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = run();
  return { ms: performance.now() - start, result };
}

function format(summary: Summary): string {
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  return `median ${ms(summary.median).padStart(9)}   min ${ms(summary.min).padStart(9)}   max ${ms(summary.max).padStart(9)}   (${summary.samples.length} runs)`;
}

/**
 * Where the two differ. Communities must be the same, figures within 1e-9 relative, and the order the same except
 * between communities whose current autarky is identical: proportional totals tie exactly in the model, and the
 * previous pass over the year ordered such ties by rounding noise instead of the documented tie-break.
 */
function compare(current: Community[], previous: Community[]): string {
  const rankOf = new Map(current.map((c, rank) => [c.member_ids[0], rank]));
  let worst = 0;
  let tieSwaps = 0;
  const problems: string[] = [];
  if (current.length !== previous.length) {
    problems.push(`${current.length} communities instead of ${previous.length}`);
  }
  previous.forEach((expected, rank) => {
    const actualRank = rankOf.get(expected.member_ids[0]);
    const actual = actualRank === undefined ? undefined : current[actualRank];
    if (actual === undefined || actual.member_ids.join('\n') !== expected.member_ids.join('\n')) {
      problems.push(`community of ${expected.member_ids[0]} differs`);
      return;
    }
    for (const figure of ['autarky_percent', 'total_consumption_mwh', 'total_production_mwh'] as const) {
      worst = Math.max(worst, expected[figure] === 0 ? Math.abs(actual[figure]) : Math.abs(actual[figure] / expected[figure] - 1));
    }
    if (actualRank !== rank) {
      if (current[rank].autarky_percent === actual.autarky_percent) {
        tieSwaps++;
      } else {
        problems.push(`community of ${expected.member_ids[0]} ranked ${actualRank} instead of ${rank}`);
      }
    }
  });
  const order = tieSwaps === 0 ? 'same order' : `same order but for ${tieSwaps} ranks within exact ties of autarky`;
  const verdict = problems.length === 0 ? `same ${current.length} communities, ${order}` : `DIFFERENT: ${problems.slice(0, 5).join('; ')}`;
  return `${verdict}; largest relative difference of a figure ${worst.toExponential(1)}`;
}

function benchmarkSize(size: number, runs: number, previousRuns: number, warmPrevious: boolean): void {
  const buildings = generateBuildings(size);
  const warmUp = timed(() => buildCommunities(buildings, OPTIONS));
  // One engine after the other rather than alternating: each run then pays for its own garbage only.
  const current = Array.from({ length: runs }, () => timed(() => buildCommunities(buildings, OPTIONS)).ms);
  const previous: number[] = [];
  let previousResult: Community[] | undefined;
  if (previousRuns > 0 && warmPrevious) {
    previousResult = previousBuildCommunities(buildings, OPTIONS);
  }
  for (let i = 0; i < previousRuns; i++) {
    const run = timed(() => previousBuildCommunities(buildings, OPTIONS));
    previous.push(run.ms);
    previousResult = run.result;
  }
  const lines = [`${size.toLocaleString('en-US')} buildings → ${warmUp.result.length} communities`, `  current   ${format(summarise(current))}`];
  if (previousResult !== undefined) {
    const ratio = summarise(previous).median / summarise(current).median;
    lines.push(`  previous  ${format(summarise(previous))}`, `  ratio     ${ratio.toFixed(1)}× (medians)`, `  parity    ${compare(warmUp.result, previousResult)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function checkParity(size: number): void {
  const buildings = generateBuildings(size);
  for (const opts of PARITY_OPTIONS) {
    const verdict = compare(buildCommunities(buildings, opts), previousBuildCommunities(buildings, opts));
    process.stdout.write(`  parity at ${opts.radiusM} m, minSamples ${opts.minSamples}: ${verdict}\n`);
  }
}

function main(): void {
  const sizes = numbers('sizes', [100_000, 1_000_000]);
  const runs = numbers('runs', [7])[0];
  const previousRuns = numbers('previous-runs', [5, 1]);
  process.stdout.write(
    `buildCommunities(generateBuildings(n), { radiusM: ${OPTIONS.radiusM}, minSamples: ${OPTIONS.minSamples} }), Node ${process.version}\n`,
  );
  sizes.forEach((size, i) => {
    const previousRunsHere = previousRuns[i] ?? previousRuns[previousRuns.length - 1];
    // One warm-up of the previous engine is enough for its JIT: at 1 000 000 it would cost minutes.
    benchmarkSize(size, runs, previousRunsHere, i === 0);
    if (i === 0 && previousRunsHere > 0) {
      checkParity(size);
    }
  });
}

main();

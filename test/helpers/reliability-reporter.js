// Writes docs/RELIABILITY.md from the figures the reliability specs recorded during this run,
// with each scenario's outcome taken from Jest's results: the file states what the last run proved.
const { execSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const OUTPUT = join(ROOT, 'docs', 'RELIABILITY.md');

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

class ReliabilityReporter {
  onRunStart() {
    this.started = Date.now();
    this.dir = join(tmpdir(), `leg-reliability-${process.pid}-${Date.now()}`);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    mkdirSync(join(this.dir, 'results'), { recursive: true });
    process.env.LEG_RELIABILITY_DIR = this.dir;
  }

  onRunComplete(_contexts, aggregated) {
    const resultsDir = join(this.dir, 'results');
    const recorded = existsSync(resultsDir)
      ? readdirSync(resultsDir).map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')))
      : [];
    const outcomes = new Map(
      aggregated.testResults.map((file) => [
        basename(file.testFilePath),
        { passed: file.numFailingTests === 0 && !file.testExecError, tests: file.numPassingTests + file.numFailingTests, failed: file.numFailingTests },
      ]),
    );
    const rows = aggregated.testResults
      .map((file) => basename(file.testFilePath))
      .map((name) => recorded.find((result) => result.file === name) ?? { id: name.slice(0, 2).replace(/^0/, ''), scenario: name, done: '', checked: '', figures: 'no figures recorded', file: name })
      .sort((a, b) => Number(a.id) - Number(b.id));
    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      // not a git checkout
    }
    const minutes = ((Date.now() - this.started) / 60000).toFixed(1);
    const lines = [
      '# Reliability and security: figures of the last run',
      '',
      'Written by `test/helpers/reliability-reporter.js` at the end of `npm run test:reliability`; do not edit by hand.',
      'Each scenario drives real processes of the built service (`node dist/src/main.js`) over HTTP on 127.0.0.1 against',
      'a database of its own on the local PostgreSQL server (scenario 3 also on the embedded database).',
      '',
      `Run: ${new Date().toISOString()}, commit ${commit}, Node ${process.version}, ${aggregated.numPassedTests}/${aggregated.numTotalTests} tests passed, ${minutes} min.`,
      '',
      '| # | Scenario | What was done | What was checked | Result |',
      '|---|---|---|---|---|',
      ...rows.map((row) => {
        const outcome = outcomes.get(row.file);
        const verdict = outcome && outcome.passed ? `**pass** (${outcome.tests} tests)` : `**FAIL** (${outcome ? outcome.failed : '?'} failing)`;
        return `| ${cell(row.id)} | ${cell(row.scenario)} | ${cell(row.done)} | ${cell(row.checked)} | ${verdict}: ${cell(row.figures)} |`;
      }),
      '',
      'Specs: `test/reliability/*.reliability-spec.ts`. Re-run with `npm run test:reliability` (needs `TEST_DATABASE_URL` or the',
      'local server at 127.0.0.1:5432).',
      '',
    ];
    if (rows.length > 0) {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      writeFileSync(OUTPUT, lines.join('\n'));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

module.exports = ReliabilityReporter;

// Runs the reliability specs in scenario order, with the log search (scenario 7) last so that it
// sees the logs of every process the other scenarios started.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = /07-secrets/;

class ReliabilitySequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => (LAST.test(test.path) ? 1 : 0);
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = ReliabilitySequencer;

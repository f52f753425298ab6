/**
 * Runs the longest suites first, so that on a fresh clone (no timing cache
 * yet: jest would order by file size) no minute-long suite starts last and
 * leaves the other worker idle. After the first run jest's own timings,
 * which the base class reads, decide among the rest.
 */
const Sequencer = require('@jest/test-sequencer').default;

// Each takes tens of seconds: real Terraform plans, bundling every function, many synths.
const LONGEST_FIRST = [
  '__tests__/terraform/many-games.plan.test.ts',
  '__tests__/terraform/configurations.plan.test.ts',
  '__tests__/constructs/control-loop/bundling.test.ts',
  '__tests__/terraform/validate-command.test.ts',
  '__tests__/constructs/game/literal-values.plan.test.ts',
  '__tests__/property/synth.test.ts',
  '__tests__/audit/examples.test.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const i = LONGEST_FIRST.findIndex((suffix) => test.path.endsWith(suffix));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    const byJest = super.sort(tests);
    return [...byJest].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;

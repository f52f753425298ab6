import { formatStepTimings } from '../../src/cli/lambda/format-timings';
import { createLocalContext } from '../../src/cli/lambda/local-context';

describe('formatStepTimings', () => {
  it('prints each step as "  <name>  <ms> ms", aligned, failed ones marked, then the total', () => {
    const lines = formatStepTimings(
      [
        { name: 'describe-group', ms: 123.4, ok: true },
        { name: 'set-capacity', ms: 2.25, ok: false },
      ],
      131.9,
    );

    expect(lines).toEqual([
      '  describe-group     123 ms',
      '  set-capacity       2.3 ms  (failed)',
      '  total              132 ms',
    ]);
  });

  it('prints the total alone when the handler timed no step', () => {
    expect(formatStepTimings([], 4)).toEqual(['  total     4.0 ms']);
  });
});

describe('createLocalContext', () => {
  it('names the function as a local run in the caller\'s region and counts down from 15 minutes', () => {
    let now = 1_000_000;
    const context = createLocalContext('watchdog', { AWS_REGION: 'eu-west-3' }, () => now);

    expect(context.functionName).toBe('gm-local-watchdog');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-3:000000000000:function:gm-local-watchdog');
    expect(context.getRemainingTimeInMillis()).toBe(900_000);
    now += 60_000;
    expect(context.getRemainingTimeInMillis()).toBe(840_000);
    expect(() => context.succeed('x')).toThrow(/not supported by gm lambda: return a value/);
  });
});

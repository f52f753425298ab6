/**
 * Faults across the functions, played through the whole loop: AWS events
 * delivered twice, late or out of order, two waker invocations for one
 * batch, state garbled or lost mid-session, and a sweep that makes each AWS
 * call of a short session fail in turn (throttling; a time-out after the
 * request took effect). After each, the invariants of the traces must hold:
 * no lost stop or wake, no double start, one host per world, every stop
 * saved, nobody cut off while playing, nothing left half-done.
 *
 * The sweep fails every 9th call by default, each kind of fault starting at another call (so the three
 * kinds together reach every third call: 1, 4, 7, 10, …); GM_LOOP_SWEEP=full fails every one.
 */
import '../support/powertools-env-silent';
import type { FaultKind } from './fake-aws';
import { runTrace, type RunOptions, type TraceResult } from './traces/runner';
import { loadTraces, parseTrace, type Trace } from './traces/trace';

const traces = loadTraces();
const byName = (name: string): Trace => {
  const found = traces.find((t) => t.name === name);
  if (!found) throw new Error(`no trace ${name}`);
  return found;
};

/** Each trace played once without faults, to compare with. */
const baselines = new Map<string, Promise<TraceResult>>();
function baseline(name: string): Promise<TraceResult> {
  let result = baselines.get(name);
  if (!result) {
    result = runTrace(byName(name));
    baselines.set(name, result);
  }
  return result;
}

/** A short session with everything in it: a start, play, an idle stop, a wake during the stop, a second session. */
const SHORT = parseTrace(
  {
    name: 'short',
    about: 'A short session for fault sweeps.',
    start: '2025-06-09T10:00:00.000Z',
    minutes: 40,
    game: { idleMinutes: 2, startupMinutes: 5 },
    timing: { bootSeconds: 20, agentSeconds: 5, taskStartSeconds: 20, taskStopSeconds: 10 },
    lookups: [
      { minute: 0, type: 'SRV', who: 'player' },
      { afterStop: 1, seconds: 3, type: 'SRV', who: 'player' },
      { minute: 16, type: 'SRV', who: 'player' },
    ],
    players: [[0, 1], [4, 0], [16, 1], [20, 0]],
  },
  'short (inline)',
);

function clean(result: TraceResult): void {
  expect(result.violations).toEqual([]);
  expect(result.stops).toBe(result.starts);
}

describe('AWS events delivered at least once, late, or out of order', () => {
  it.each(traces.map((t) => [t.name] as const))('%s: every event delivered twice (20 s apart) changes nothing', async (name) => {
    const once = await baseline(name);
    const twice = await runTrace(byName(name), { duplicateEventsAfterMs: 20_000 });
    clean(twice);
    expect(twice.errors).toEqual([]);
    // The same sessions, the same notices: a repeated event is not announced again.
    expect({ starts: twice.starts, stops: twice.stops, notices: twice.notices }).toEqual({ starts: once.starts, stops: once.stops, notices: once.notices });
  });

  it.each(['evening', 'comeback', 'spot-interruption', 'no-spot-capacity'])('%s: an event delivered again ten minutes later (after the next one) changes nothing', async (name) => {
    const once = await baseline(name);
    const late = await runTrace(byName(name), { duplicateEventsAfterMs: 600_000 });
    clean(late);
    expect(late.notices).toEqual(once.notices);
  });

  it.each(['evening', 'comeback', 'spot-interruption', 'warm-pool'])('%s: launch events 90 s late (the game starts late, nothing breaks)', async (name) => {
    const result = await runTrace(byName(name), { eventDelayMs: (e) => (e['detail-type'] === 'EC2 Instance-launch Lifecycle Action' ? 90_000 : 1000) });
    clean(result);
    expect(result.longestWaitSeconds).toBeLessThan(300);
  });

  it('spot-interruption: the warning arriving after the reclaim (the terminate hook saves nothing, the replacement serves)', async () => {
    const result = await runTrace(byName('spot-interruption'), { eventDelayMs: (e) => (e.source === 'aws.ec2' ? 150_000 : 1000) });
    // The game died with its host, unsaved: the warning came too late to drain it. That is the reclaim's doing, and it is recorded.
    expect(result.violations).toEqual([expect.stringMatching(/died with its host \(terminated\) without a stop: the world was not saved/)]);
    expect(result).toMatchObject({ starts: 1, stops: 1, instances: 2 });
  });

  // Known race (see the report): while the terminate event is late, the stopping game stays joinable; a player joining then is cut off by the drain.
  it.failing('comeback: a terminate event 200 s late lets nobody join the stopping game', async () => {
    const result = await runTrace(byName('comeback'), { eventDelayMs: (e) => (e['detail-type'] === 'EC2 Instance-terminate Lifecycle Action' ? 200_000 : 1000) });
    clean(result);
  });
});

describe('a warm pool', () => {
  // An instance on its way back to the warm pool is listed by DescribeWarmPool, not by DescribeAutoScalingGroups:
  // the start rule reads the pool too, so the wake waits for the save and the same instance serves again.
  it('a wake while the instance saves on its way back to the warm pool waits for it and reuses it', async () => {
    const warmComeback = parseTrace(
      {
        name: 'warm-comeback',
        about: 'A wake five seconds into a stop that returns the instance to the warm pool.',
        start: '2025-06-06T20:00:00.000Z',
        minutes: 110,
        game: { idleMinutes: 10, warmPool: true },
        timing: { taskStopSeconds: 60 },
        lookups: [{ minute: 0, type: 'SRV', who: 'player' }, { afterStop: 1, seconds: 5, type: 'SRV', who: 'player' }, { minute: 42, type: 'SRV', who: 'player' }],
        players: [[0, 1], [30, 0], [42, 1], [80, 0]],
      },
      'warm-comeback (inline)',
    );
    const result = await runTrace(warmComeback);
    clean(result);
    expect(result).toMatchObject({ instances: 1, restartsAfterStop: 1 });
  });
});

describe('two waker invocations for every batch (two deliveries at once)', () => {
  it.each(['evening', 'comeback', 'scanners', 'no-spot-capacity'])('%s: one start and one "starting" notice per session', async (name) => {
    const once = await baseline(name);
    const result = await runTrace(byName(name), { concurrentWakers: true });
    clean(result);
    expect(result.errors).toEqual([]);
    expect(result.starts).toBe(once.starts);
    expect(result.notices.filter((n) => n.startsWith('starting')).length).toBe(once.notices.filter((n) => n.startsWith('starting')).length);
  });
});

describe('state garbled or lost mid-session', () => {
  const evening = byName('evening');
  const cases: [string, RunOptions['during']][] = [
    ['the watchdog state is garbled while two play', [{ minute: 40, run: (aws) => aws.ssm.parameters.set('/gm/mc/watchdog-state', '{"instanceId":') }]],
    ['the watchdog state is deleted while two play', [{ minute: 40, run: (aws) => aws.ssm.parameters.delete('/gm/mc/watchdog-state') }]],
    ['the session is garbled while two play', [{ minute: 40, run: (aws) => aws.ssm.parameters.set('/gm/mc/session', 'not json') }]],
    ['the session is deleted while two play', [{ minute: 40, run: (aws) => aws.ssm.parameters.delete('/gm/mc/session') }]],
  ];
  it.each(cases)('%s: nobody is cut off, the idle stop still comes in time, nothing is left behind', async (_what, during) => {
    const result = await runTrace(evening, { during });
    clean(result);
    expect(result.starts).toBe(2);
  });

  it('the watchdog state is garbled during the idle wait: the idle clock starts again (never a stop too early), so the stop comes at most idleMinutes later', async () => {
    const garble = [{ minute: 114, run: (aws: import('./fake-aws').FakeAws) => aws.ssm.parameters.set('/gm/mc/watchdog-state', '[]') }];
    const strict = await runTrace(evening, { during: garble });
    expect(strict.violations).toEqual([expect.stringMatching(/the game stayed up 1\d\.\d min after the last player left \(idleMinutes 10 \+ 1 allowed\)/)]);
    const result = await runTrace(evening, { during: garble, idleSlackMinutes: 10 });
    clean(result);
  });

  it('the watchdog fails for three minutes in a row (Auto Scaling throttled) while the players leave: the stop is only late by those minutes', async () => {
    const result = await runTrace(evening, {
      during: [{ minute: 111, run: (aws) => aws.faults.inject({ command: 'DescribeAutoScalingGroups', kind: 'throttle', times: 3 }) }],
    });
    clean(result);
    expect(result.errors.length).toBeGreaterThan(0);
  });
});

/** Runs SHORT once per call index, with that call failing; returns the runs that broke an invariant. */
async function sweep(kind: FaultKind, applied: boolean, known: (fired: string) => boolean, first = 1): Promise<{ broken: string[]; known: string[]; runs: number }> {
  let calls = 0;
  const baseline = await runTrace(SHORT, { inspect: (aws) => (calls = aws.calls.length) });
  // A failed watchdog run (or a probe that could not answer) delays the stop by its minute: by design, unknown is not idle.
  const options: RunOptions = { idleSlackMinutes: 1 };
  clean(baseline);
  const full = process.env.GM_LOOP_SWEEP === 'full';
  const every = full ? 1 : 9;
  const broken: string[] = [];
  const knownBroken: string[] = [];
  let runs = 0;
  for (let n = full ? 1 : first; n <= calls; n += every) {
    let fired = '';
    let input = '';
    const result = await runTrace(SHORT, {
      ...options,
      setup: (aws) => aws.faults.failCall(n, kind, applied),
      inspect: (aws) => {
        fired = aws.faults.fired.join('; ');
        input = JSON.stringify(aws.calls[n - 1]?.input ?? {});
      },
    });
    runs++;
    if (result.violations.length === 0) continue;
    const line = `call ${fired} ${input.slice(0, 120)}: ${result.violations.join(' | ')}`;
    (known(`${fired} ${input}`) ? knownBroken : broken).push(line);
  }
  return { broken, known: knownBroken, runs };
}


describe('each AWS call of a short session failing in turn', () => {
  it('throttled (after the SDK gave up): every invariant holds', async () => {
    const { broken, runs } = await sweep('throttle', false, () => false, 1);
    expect(runs).toBeGreaterThan(12);
    expect(broken).toEqual([]);
  });

  it('timed out before reaching AWS: every invariant holds', async () => {
    const { broken } = await sweep('timeout', false, () => false, 4);
    expect(broken).toEqual([]);
  });

  it('timed out after AWS applied it: every invariant holds', async () => {
    const { broken } = await sweep('timeout', true, () => false, 7);
    expect(broken).toEqual([]);
  });

  // A claim whose PutParameter timed out after SSM created it was once taken for another start in progress until it
  // was 5 minutes old; the player, looking up every two minutes, waited over 6 minutes.
  it('a session claim that timed out after SSM created it still starts the game', async () => {
    const retrying = parseTrace(
      { ...SHORT, name: 'claim-lost', lookups: [0, 2, 4, 6, 8].map((minute) => ({ minute, type: 'SRV', who: 'player' })), players: [[0, 1], [20, 0]] },
      'claim-lost (inline)',
    );
    const result = await runTrace(retrying, {
      setup: (aws) => aws.faults.inject({ command: 'PutParameter', kind: 'timeout', applied: true, when: (i) => i.Name === '/gm/mc/session' && i.Overwrite === false }),
    });
    clean(result);
  });
});

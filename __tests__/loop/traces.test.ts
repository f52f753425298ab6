/**
 * The recorded play traces (traces/*.json) through the real waker, instance
 * hook and watchdog against the simulated AWS. Every trace must keep the
 * invariants (idle stops within idleMinutes + 1, nobody cut off while
 * playing, one host per world, every stop saved, nothing left half-done, no
 * scanner wake, no player waiting more than a few minutes) and show what it
 * is about (its `expect`). The last tests feed the runner traces that break
 * each invariant, to show that it notices.
 */
import '../support/powertools-env-silent';
import { formatTraceReport } from './traces/report';
import { MAX_WAIT_MINUTES, runTrace, type TraceResult } from './traces/runner';
import { loadTraces, parseTrace, type Trace } from './traces/trace';

const traces = loadTraces();
const results = new Map<string, TraceResult>();

beforeAll(async () => {
  for (const trace of traces) results.set(trace.name, await runTrace(trace));
});

function resultOf(name: string): TraceResult {
  const result = results.get(name);
  if (!result) throw new Error(`no result for trace ${name}`);
  return result;
}

describe('recorded play traces', () => {
  it('covers the cases the loop must handle', () => {
    expect(traces.map((t) => t.name)).toEqual(
      expect.arrayContaining(['evening', 'scanners', 'no-show', 'long-session', 'spot-interruption', 'no-spot-capacity', 'comeback', 'warm-pool']),
    );
  });

  it.each(traces.map((t) => [t.name, t] as const))('%s keeps every invariant and shows what it is about', (name, trace) => {
    const result = resultOf(name);
    expect(result.violations).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject(trace.expect ?? {});
    // Every start was stopped again, and nobody waited long for a playable game.
    expect(result.stops).toBe(result.starts);
    expect(result.longestWaitSeconds).toBeLessThanOrEqual(MAX_WAIT_MINUTES * 60);
  });

  it('scanners never wake a game that wakes on SRV, and the one player does', () => {
    const scanners = traces.find((t) => t.name === 'scanners') as Trace;
    expect(scanners.lookups.filter((l) => l.who === 'scanner').length).toBeGreaterThan(30);
    expect(resultOf('scanners')).toMatchObject({ starts: 1, falseWakes: 0 });
  });

  it('a spot reclaim cuts players off only through the reclaim itself, and the world was saved before it', () => {
    const spot = resultOf('spot-interruption');
    expect(spot.interruptions).toEqual([expect.stringMatching(/2 player\(s\) cut off by the spot reclaim of i-/)]);
    expect(spot.notices).toContain('mc.example.com spot interruption');
    expect(spot.violations).toEqual([]);
  });

  it('a start without spot capacity falls back to on-demand once, and the next start uses spot again', () => {
    const r = resultOf('no-spot-capacity');
    expect(r.launchFailures).toBe(1);
    expect(r.notices).toEqual(expect.arrayContaining(['mc.example.com launch failed']));
  });

  it('costs what the sessions cost: the long session costs more than the no-show, which costs something', () => {
    expect(resultOf('no-show').costUsd).toBeGreaterThan(0);
    expect(resultOf('long-session').costUsd).toBeGreaterThan(resultOf('evening').costUsd);
    expect(resultOf('long-session').instanceHours).toBeGreaterThan(7);
    // No-show: up from the lookup to the idle stop after "ready", well under half an hour.
    expect(resultOf('no-show').instanceHours).toBeLessThan(0.5);
  });

  it('prints one line per trace with the figures the bench shows', () => {
    const text = formatTraceReport([...results.values()]);
    for (const trace of traces) expect(text).toMatch(new RegExp(`^${trace.name}\\s+${trace.minutes}\\s`, 'm'));
    expect(text).toContain('total cost $');
    expect(text).not.toContain('VIOLATION');
  });
});

/** A small trace: one player from `playFrom` to `playTo`, looked up at `playFrom`. */
function trace(overrides: Partial<Trace> & Pick<Trace, 'name'>): Trace {
  return parseTrace(
    {
      about: 'a trace that breaks an invariant on purpose',
      start: '2025-06-08T10:00:00.000Z',
      minutes: 60,
      game: { idleMinutes: 5 },
      lookups: [{ minute: 0, type: 'SRV', who: 'player' }],
      players: [[0, 1], [15, 0]],
      ...overrides,
    },
    `${overrides.name} (inline)`,
  );
}

describe('the runner notices a broken invariant', () => {
  it('a stop that never happens: the game stays up after the last player left', async () => {
    const result = await runTrace(trace({ name: 'stop-refused' }), {
      // Auto Scaling refuses every SetDesiredCapacity to 0 (throttled on every attempt).
      setup: (aws) => aws.faults.inject({ command: 'SetDesiredCapacity', kind: 'throttle', times: Infinity, when: (input) => input.DesiredCapacity === 0 }),
    });
    expect(result.violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/the game stayed up [\d.]+ min after the last player left \(idleMinutes 5 \+ 1 allowed\)/),
        expect.stringMatching(/at the end of the trace: the group is not at 0/),
      ]),
    );
    expect(result.errors).toEqual(expect.arrayContaining([expect.stringMatching(/watchdog run failed: Throttling: Rate exceeded/)]));
  });

  it('a stop while someone plays: maxHours with stopAfterMaxHours cuts the player off', async () => {
    const result = await runTrace(trace({ name: 'max-hours', minutes: 150, game: { idleMinutes: 5, maxHours: 1, stopAfterMaxHours: true }, players: [[0, 1], [120, 0]] }));
    expect(result.violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/the group was set to 0 while 1 player\(s\) were playing/),
        expect.stringMatching(/1 player\(s\) cut off: the game on i-\w+ stopped being playable/),
      ]),
    );
  });

  it('maxHours without stopAfterMaxHours only alerts: nobody is cut off', async () => {
    const result = await runTrace(trace({ name: 'max-hours-alert', minutes: 150, game: { idleMinutes: 5, maxHours: 1 }, players: [[0, 1], [120, 0]] }));
    expect(result.violations).toEqual([]);
    expect(result.notices).toEqual(expect.arrayContaining([expect.stringMatching(/^alert mc\.example\.com/)]));
  });

  it('a game that saves slower than its stop timeout is killed unsaved', async () => {
    const result = await runTrace(trace({ name: 'slow-save', game: { idleMinutes: 5, stopTimeoutSeconds: 30 }, timing: { taskStopSeconds: 90 } }));
    expect(result.violations).toEqual(expect.arrayContaining([expect.stringMatching(/task task1 was killed at its stop timeout \(30 s\) before it saved/)]));
  });

  it('a game that wakes on A records: scanners wake it', async () => {
    const result = await runTrace(
      trace({
        name: 'scanner-wake',
        game: { idleMinutes: 5, wakeOn: ['A', 'SRV'] },
        lookups: [{ minute: 20, type: 'A', who: 'scanner' }],
        players: [],
      }),
    );
    expect(result.starts).toBe(1);
    expect(result.falseWakes).toBe(1);
    expect(result.violations).toEqual([expect.stringMatching(/a batch of scanner lookups only woke the game/)]);
  });

  it('a wake that is lost: the player waits and the game never comes', async () => {
    const result = await runTrace(trace({ name: 'lost-wake' }), {
      // Every launch fails: after three the hook gives the start up.
      setup: (aws) => aws.failNextLaunches('mc', 10),
    });
    expect(result.violations).toEqual(expect.arrayContaining([expect.stringMatching(/players waited [\d.]+ min for a playable game/)]));
    expect(result.notices).toEqual(expect.arrayContaining(['mc.example.com start given up']));
  });
});

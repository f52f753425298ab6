/**
 * The rules that turn a game's facts into its status (derive.ts) and the
 * words they print in (format.ts), on plain data: which start a timeline
 * belongs to, each phase, the cost line with and without a price.
 */
import { gameStatus, timelineOf, type HourlyPrice } from '../../../src/cli/game-status/derive';
import { costLine, duration, statusLines } from '../../../src/cli/game-status/format';
import type { GameFacts } from '../../../src/cli/game-status/read';
import type { WatchdogState } from '../../../src/runtime/watchdog-state';

const NOW = '2026-11-30T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();
const GAME = { id: 'mc', fqdn: 'mc.example.com' };
const PRICE: HourlyPrice = { ok: true, usdPerHour: 0.0504 };
const I1 = 'i-0aaaaaaaaaaaaaaa1';
const I2 = 'i-0aaaaaaaaaaaaaaa2';

function state(overrides: Partial<WatchdogState> = {}): WatchdogState {
  return { instanceId: I1, launchedAt: at(-600), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false, ...overrides };
}

function facts(overrides: Partial<GameFacts> = {}): GameFacts {
  return { readAt: NOW, group: { desiredCapacity: 0, instances: [] }, sessionExists: false, pendingWake: false, ...overrides };
}

describe('timelineOf', () => {
  it('a new session that has not launched yet does not borrow the previous launch from the watchdog state', () => {
    const f = facts({
      group: { desiredCapacity: 1, instances: [] },
      session: { startedAt: at(-5), source: 'lookup', lookupAt: at(-7) },
      sessionExists: true,
      state: state({ wakeAt: at(-4000), readyAt: at(-3900), stopRequestedAt: at(-600), stopReason: 'idle' }),
    });

    expect(timelineOf(f)).toEqual([
      { step: 'lookup', at: at(-7) },
      { step: 'wake', at: at(-5) },
    ]);
  });

  it('a replacement launch in the same session (spot) is still this start: the state copied its wake', () => {
    const f = facts({
      group: { desiredCapacity: 1, instances: [{ instanceId: I2, lifecycleState: 'InService' }] },
      session: { startedAt: at(-3600), source: 'operator' },
      sessionExists: true,
      state: state({ instanceId: I2, launchedAt: at(-300), wakeAt: at(-3600), taskRunningAt: at(-200) }),
      host: { instanceId: I2, state: 'running', launchTime: at(-300) },
      hostRegisteredAt: at(-270),
    });

    expect(timelineOf(f).map((s) => s.step)).toEqual(['wake', 'instance launched', 'agent registered', 'task running']);
  });

  it('prefers the times the functions recorded in the state to the live reads of the host and the task', () => {
    const f = facts({
      group: { desiredCapacity: 1, instances: [{ instanceId: I1, lifecycleState: 'InService' }] },
      session: { startedAt: at(-601), source: 'lookup', lookupAt: at(-603) },
      sessionExists: true,
      state: state({ instanceRunningAt: at(-590), agentRegisteredAt: at(-585), pullStartedAt: at(-584), pullStoppedAt: at(-560), taskRunningAt: at(-559), readyAt: at(-530) }),
      host: { instanceId: I1, state: 'running', launchTime: at(-600) },
      // Read later, after a restart of the agent and of the container: not this start's times.
      hostRegisteredAt: at(-100),
      task: { taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/gm-mc/t2', lastStatus: 'RUNNING', createdAt: at(-120), pullStartedAt: at(-119), pullStoppedAt: at(-110), startedAt: at(-100) },
    });

    expect(timelineOf(f)).toEqual([
      { step: 'lookup', at: at(-603) },
      { step: 'wake', at: at(-601) },
      { step: 'instance launched', at: at(-600) },
      { step: 'instance running', at: at(-590) },
      { step: 'agent registered', at: at(-585) },
      { step: 'pulling image', at: at(-584) },
      { step: 'image pulled', at: at(-560) },
      { step: 'task running', at: at(-559) },
      { step: 'ready', at: at(-530) },
    ]);
  });

  it("a task older than this launch is the previous host's and is not this start's", () => {
    const f = facts({
      group: { desiredCapacity: 1, instances: [{ instanceId: I1, lifecycleState: 'InService' }] },
      session: { startedAt: at(-601), source: 'lookup' },
      sessionExists: true,
      state: state(),
      task: { taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/gm-mc/old', lastStatus: 'STOPPED', createdAt: at(-5000), startedAt: at(-4990) },
    });

    expect(timelineOf(f).map((s) => s.step)).toEqual(['wake', 'instance launched']);
  });
});

describe('gameStatus phases', () => {
  it('stopping with a wake waiting: the block says the game starts again', () => {
    const status = gameStatus(GAME, facts({ group: { desiredCapacity: 0, instances: [{ instanceId: I1, lifecycleState: 'Terminating:Wait' }] }, pendingWake: true }), PRICE);

    expect(status.phase).toBe('stopping');
    expect(statusLines(status)).toContain('  a wake is waiting: the game starts again when the stop ends');
  });

  it('starting with failed launches and no instance says so', () => {
    const status = gameStatus(
      GAME,
      facts({ group: { desiredCapacity: 1, instances: [] }, session: { startedAt: at(-120), source: 'lookup', launchFailures: 2 }, sessionExists: true }),
      PRICE,
    );

    expect(status).toMatchObject({ phase: 'starting', detail: 'launching an instance (2 failed launch(es) so far)' });
  });

  it("running needs the watchdog's answer on this very host: an answer recorded for another instance is still starting", () => {
    const base = {
      group: { desiredCapacity: 1, instances: [{ instanceId: I2, lifecycleState: 'InService' }] },
      session: { startedAt: at(-900), source: 'lookup' as const },
      sessionExists: true,
      host: { instanceId: I2, state: 'running', launchTime: at(-60), ipv4: '198.51.100.7' },
      hostRegisteredAt: at(-40),
    };

    expect(gameStatus(GAME, facts({ ...base, state: state({ instanceId: I1, readyAt: at(-800) }) }), PRICE).phase).toBe('starting');
    expect(gameStatus(GAME, facts({ ...base, state: state({ instanceId: I2, launchedAt: at(-60), readyAt: at(-10), players: 0 }) }), PRICE).phase).toBe('running');
  });

  it('a stopped game whose last stop was manual or idle is stopped, not failed; with no record it says so', () => {
    for (const reason of ['manual', 'idle', 'max-hours'] as const) {
      expect(gameStatus(GAME, facts({ state: state({ stopRequestedAt: at(-60), stopReason: reason }) }), PRICE).phase).toBe('stopped');
    }
    expect(statusLines(gameStatus(GAME, facts(), PRICE))).toEqual(['mc (mc.example.com): stopped', '  last stop: not recorded']);
  });
});

describe('cost so far', () => {
  it('hours up × the price of a running hour, while a host runs', () => {
    const status = gameStatus(
      GAME,
      facts({
        group: { desiredCapacity: 1, instances: [{ instanceId: I1, lifecycleState: 'InService' }] },
        state: state({ launchedAt: at(-5040) }),
        host: { instanceId: I1, state: 'running', launchTime: at(-5040) },
      }),
      PRICE,
    );

    expect(status.cost).toEqual({ known: true, usd: 1.4 * 0.0504, hours: 1.4, usdPerHour: 0.0504 });
    expect(costLine(status.cost!)).toBe('cost so far: $0.07 (1.4 h × $0.0504/h)');
  });

  it('unknown when the price table has no price, saying which', () => {
    const status = gameStatus(
      GAME,
      facts({ group: { desiredCapacity: 1, instances: [{ instanceId: I1, lifecycleState: 'Pending' }] }, host: { instanceId: I1, state: 'pending', launchTime: at(-30) } }),
      { ok: false, missing: 'no price for t4g.medium in me-central-1' },
    );

    expect(costLine(status.cost!)).toBe('cost so far: unknown (no price for t4g.medium in me-central-1)');
  });

  it('none for a stopped game', () => {
    expect(gameStatus(GAME, facts(), PRICE).cost).toBeUndefined();
  });
});

describe('duration', () => {
  it.each([
    [40, '40 s'],
    [60, '1 min'],
    [320, '5 min 20 s'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
  ])('%d s is "%s"', (seconds, words) => {
    expect(duration(seconds)).toBe(words);
  });
});

/**
 * `gm status` in process against a mocked AWS (game-status/mock-game.ts):
 * each phase's block line by line, the JSON document, every game at once,
 * `--watch` following a start to ready, and the one-line failures. Times are
 * UTC; the price comes from the project's price table (src/cost).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusCommandWith } from '../../src/cli/commands/status';
import { main } from '../../src/cli/main';
import { loadConfig } from '../../src/config/load';
import { runningHourCost } from '../../src/cost/running-hour';
import { throttling } from '../support/aws-errors';
import { deploymentYaml } from '../support/deployment-yaml';
import { captureIo } from '../support/cli-io';
import { testClock, type TestClock } from '../support/clock';
import { accessDenied, INSTANCE, MockGame, NAMES, noCredentials } from './game-status/mock-game';
import { REPO_ROOT } from './run-cli';

const MC_CONFIG = join(REPO_ROOT, 'examples/minecraft-java.yaml');
const NOW = '2026-11-30T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();
const IP = '203.0.113.10';

let aws: MockGame;
let clock: TestClock;
let configDir: string;

beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'gm-status-'));
});
afterAll(() => {
  rmSync(configDir, { recursive: true, force: true });
  Object.values(aws.mocks).forEach((m) => m.restore());
});
beforeEach(() => {
  aws = new MockGame();
  aws.install();
  clock = testClock(NOW);
});

function run(args: string[], options: { config?: string; captured?: ReturnType<typeof captureIo> } = {}) {
  const captured = options.captured ?? captureIo();
  const command = statusCommandWith({ clock, env: { GM_CONFIG: options.config ?? MC_CONFIG } });
  return { captured, status: main(['status', ...args], captured.io, [command]) };
}

/** The hourly price the status multiplies by (the project's price table, not a number copied here). */
function pricePerHour(): number {
  const game = loadConfig(MC_CONFIG, {}).games[0]!;
  const price = runningHourCost(game, 'eu-west-1');
  if (!price.ok) throw new Error(`no price: ${price.missing}`);
  return price.usdPerHour;
}

/** An hour into a start a player's lookup asked for: launched at -3600 s, ready at -3500 s, two players. */
function runningForAnHour(): void {
  aws.group = { desired: 1, instances: [{ id: INSTANCE, state: 'InService' }] };
  aws.hosts = [{ id: INSTANCE, ec2State: 'running', launchTime: at(-3600), ipv4: IP, registeredAt: at(-3580) }];
  aws.tasks = [{ id: 'task1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', createdAt: at(-3575), pullStartedAt: at(-3574), pullStoppedAt: at(-3565), startedAt: at(-3560) }];
  aws.parameters.set(NAMES.session, JSON.stringify({ startedAt: at(-3602), source: 'lookup', lookupAt: at(-3603), query: '_minecraft._tcp.mc.example.com SRV' }));
  aws.parameters.set(
    NAMES.state,
    JSON.stringify({
      instanceId: INSTANCE,
      launchedAt: at(-3600),
      watchingSince: at(-3599),
      wakeAt: at(-3602),
      lookupAt: at(-3603),
      startSource: 'lookup',
      // The start's times as the functions recorded them (the hook: running; the watchdog: ECS's times).
      instanceRunningAt: at(-3585),
      agentRegisteredAt: at(-3580),
      pullStartedAt: at(-3574),
      pullStoppedAt: at(-3565),
      taskRunningAt: at(-3560),
      readyAt: at(-3500),
      players: 2,
      lastRunAt: at(-60),
      everJoined: true,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
    }),
  );
}

/** Stopped 20 minutes ago, as the watchdog decided for `reason`; the session has ended. */
function stoppedAfter(reason: string, extra: Record<string, unknown> = {}): void {
  aws.group = { desired: 0, instances: [] };
  aws.parameters.set(
    NAMES.state,
    JSON.stringify({
      instanceId: INSTANCE,
      launchedAt: at(-5400),
      wakeAt: at(-5402),
      startSource: 'operator',
      taskRunningAt: at(-5340),
      readyAt: at(-5300),
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
      stopRequestedAt: at(-1200),
      stopReason: reason,
      ...extra,
    }),
  );
}

describe('gm status, one game', () => {
  it('a running game: players, address, uptime, the start timeline with the seconds between steps, and the cost so far', async () => {
    runningForAnHour();

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    const perHour = pricePerHour();
    expect(captured.out).toEqual([
      'mc (mc.example.com): running',
      '  players: 2 (counted 09:59:00)',
      `  address: mc.example.com → ${IP} (${INSTANCE})`,
      '  uptime: 1 h',
      "  start (asked by a player's lookup), UTC:",
      '    08:59:57  lookup',
      '    08:59:58  wake               +1 s',
      '    09:00:00  instance launched  +2 s',
      '    09:00:15  instance running   +15 s',
      '    09:00:20  agent registered   +5 s',
      '    09:00:26  pulling image      +6 s',
      '    09:00:35  image pulled       +9 s',
      '    09:00:40  task running       +5 s',
      '    09:01:40  ready              +60 s',
      `  cost so far: $${perHour.toFixed(2)} (1.0 h × $${perHour.toFixed(4)}/h)`,
    ]);
    expect(captured.err).toEqual([]);
  });

  it('a stopped game: the last start (from the watchdog state, the session is gone) and the last stop with its reason', async () => {
    stoppedAfter('idle');

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out).toEqual([
      'mc (mc.example.com): stopped',
      '  last start (asked by gm start), UTC:',
      '    08:29:58  wake',
      '    08:30:00  instance launched  +2 s',
      '    08:31:00  task running       +60 s',
      '    08:31:40  ready              +40 s',
      '  last stop: 2026-11-30 09:40:00 UTC (idle)',
    ]);
  });

  it('a stopped game: its last stop with the steps after the decision, as the terminate hook recorded them', async () => {
    stoppedAfter('idle', { drainStartedAt: at(-1198), containerExitedAt: at(-1160), terminatedAt: at(-1155) });

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out.slice(-5)).toEqual([
      '  last stop: 2026-11-30 09:40:00 UTC (idle)',
      '    09:40:00  stop decided',
      '    09:40:02  drain started      +2 s',
      '    09:40:40  container exited   +38 s',
      '    09:40:45  instance released  +5 s',
    ]);

    const json = run(['mc', '--json']);
    await expect(json.status).resolves.toBe(0);
    const game = (JSON.parse(json.captured.out.join('\n')) as { games: Record<string, unknown>[] }).games[0]!;
    expect(game.lastStop).toEqual({
      at: at(-1200),
      reason: 'idle',
      timeline: [
        { step: 'stop decided', at: at(-1200), sincePreviousSeconds: null },
        { step: 'drain started', at: at(-1198), sincePreviousSeconds: 2 },
        { step: 'container exited', at: at(-1160), sincePreviousSeconds: 38 },
        { step: 'instance released', at: at(-1155), sincePreviousSeconds: 5 },
      ],
    });
  });

  it.each([
    ['manual', 'stopped', 'manual'],
    ['max-hours', 'stopped', 'max hours'],
    ['failsafe', 'failed — last stop: failsafe', 'failsafe'],
  ])('last stop %s: the phase is %s', async (reason, phase, words) => {
    stoppedAfter(reason);

    const { captured, status } = run(['mc']);
    await expect(status).resolves.toBe(0);

    expect(captured.out[0]).toBe(`mc (mc.example.com): ${phase}`);
    expect(captured.out.at(-1)).toBe(`  last stop: 2026-11-30 09:40:00 UTC (${words})`);
  });

  it('a game that never got ready is "failed", with the last probe error', async () => {
    stoppedAfter('never-ready', { readyAt: undefined, lastProbeError: 'connect ECONNREFUSED 203.0.113.10:25565' });

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out[0]).toBe('mc (mc.example.com): failed — last stop: never ready (last probe: connect ECONNREFUSED 203.0.113.10:25565)');
  });

  it('a starting game says what it waits for; the game container exiting with an error makes it "failed"', async () => {
    runningForAnHour();
    const state = aws.state()!;
    delete state.readyAt;
    delete state.players;
    aws.parameters.set(NAMES.state, JSON.stringify({ ...state, lastProbeError: 'game container not running yet' }));
    aws.tasks = [{ id: 'task1', lastStatus: 'PENDING', desiredStatus: 'RUNNING', createdAt: at(-3575), pullStartedAt: at(-3574) }];

    const starting = run(['mc']);
    await expect(starting.status).resolves.toBe(0);
    expect(starting.captured.out[0]).toBe('mc (mc.example.com): starting — pulling the game image');

    aws.tasks = [
      { id: 'task1', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', createdAt: at(-3575), stoppedAt: at(-3400), stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1 },
    ];
    const failed = run(['mc']);
    await expect(failed.status).resolves.toBe(0);
    expect(failed.captured.out[0]).toBe('mc (mc.example.com): failed — the game container stopped (exit code 1: Essential container in task exited)');
  });

  it('--json: one document with every key, ISO times, the timeline with the seconds between steps', async () => {
    runningForAnHour();

    const { captured, status } = run(['mc', '--json']);

    await expect(status).resolves.toBe(0);
    const document = JSON.parse(captured.out.join('\n')) as { readAt: string; region: string; games: Record<string, unknown>[] };
    expect(document.readAt).toBe(NOW);
    expect(document.region).toBe('eu-west-1');
    expect(document.games).toHaveLength(1);
    const game = document.games[0]!;
    expect(Object.keys(game)).toEqual([
      'game', 'fqdn', 'phase', 'detail', 'players', 'playersAt', 'ipv4', 'ipv6', 'instanceId', 'uptimeSeconds', 'startSource', 'timeline', 'lastStop', 'pendingWake', 'cost',
    ]);
    expect(game).toMatchObject({ game: 'mc', phase: 'running', detail: null, players: 2, playersAt: at(-60), ipv4: IP, ipv6: null, uptimeSeconds: 3600, lastStop: null });
    expect(game.timeline).toEqual([
      { step: 'lookup', at: at(-3603), sincePreviousSeconds: null },
      { step: 'wake', at: at(-3602), sincePreviousSeconds: 1 },
      { step: 'instance launched', at: at(-3600), sincePreviousSeconds: 2 },
      { step: 'instance running', at: at(-3585), sincePreviousSeconds: 15 },
      { step: 'agent registered', at: at(-3580), sincePreviousSeconds: 5 },
      { step: 'pulling image', at: at(-3574), sincePreviousSeconds: 6 },
      { step: 'image pulled', at: at(-3565), sincePreviousSeconds: 9 },
      { step: 'task running', at: at(-3560), sincePreviousSeconds: 5 },
      { step: 'ready', at: at(-3500), sincePreviousSeconds: 60 },
    ]);
    expect(game.cost).toEqual({ usd: Math.round(pricePerHour() * 10_000) / 10_000, hours: 1, usdPerHour: pricePerHour(), missing: null });
  });

  it('--json for a stopped game keeps the same keys, null where nothing is known', async () => {
    stoppedAfter('idle');

    const { captured, status } = run(['mc', '--json']);
    await expect(status).resolves.toBe(0);

    const game = (JSON.parse(captured.out.join('\n')) as { games: Record<string, unknown>[] }).games[0]!;
    expect(game).toMatchObject({ phase: 'stopped', players: null, ipv4: null, uptimeSeconds: null, cost: null, lastStop: { at: at(-1200), reason: 'idle' } });
  });
});

describe('gm status, every game', () => {
  it('one block per game, in the order of the configuration', async () => {
    const config = join(configDir, 'two.yaml');
    writeFileSync(
      config,
      deploymentYaml(`
  mc:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25565
  other:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25566
`),
    );
    // Both read the same mocked group (stopped, nothing recorded): the blocks differ by game only.
    const { captured, status } = run([], { config });

    await expect(status).resolves.toBe(0);
    expect(captured.out).toEqual([
      'mc (mc.example.com): stopped',
      '  last stop: not recorded',
      '',
      'other (other.example.com): stopped',
      '  last stop: not recorded',
    ]);
  });
});

describe('gm status --watch', () => {
  it('refreshes with a progress line until the game is ready, then prints its block', async () => {
    runningForAnHour();
    const state = aws.state()!;
    const { readyAt, players, ...booting } = state;
    aws.parameters.set(NAMES.state, JSON.stringify(booting));
    // The watchdog sees the game answer 20 s into the watch.
    clock.onSleep = (now) => {
      if (now - Date.parse(NOW) >= 20_000) aws.parameters.set(NAMES.state, JSON.stringify({ ...booting, readyAt, players }));
    };

    const { captured, status } = run(['mc', '--watch']);

    await expect(status).resolves.toBe(0);
    expect(clock.sleeps).toEqual([5000, 5000, 5000, 5000]);
    expect(captured.progress.filter(Boolean)[0]).toMatch(/^\S watching mc: starting: waiting for the game to answer \(0 s\)$/);
    expect(captured.out[0]).toBe('mc (mc.example.com): running');
  });

  it('Ctrl-C stops watching, prints what it saw, changes nothing', async () => {
    runningForAnHour();
    const { readyAt: _r, ...booting } = aws.state()!;
    aws.parameters.set(NAMES.state, JSON.stringify(booting));
    const captured = captureIo();
    clock.onSleep = () => captured.interrupt();

    const { status } = run(['mc', '--watch'], { captured });

    await expect(status).resolves.toBe(130);
    expect(captured.out[0]).toMatch(/^mc \(mc\.example\.com\): starting/);
    expect(captured.err).toEqual(['stopped watching; nothing was changed']);
    expect(aws.desiredSet).toEqual([]);
  });

  it('--watch needs a game', async () => {
    const { captured, status } = run(['--watch']);

    await expect(status).resolves.toBe(2);
    expect(captured.err[0]).toBe('gm status: --watch follows one game: name it (games: mc)');
  });
});

describe('gm status failures', () => {
  it('a game id not in the configuration lists the games, exit 2', async () => {
    const { captured, status } = run(['valheim']);

    await expect(status).resolves.toBe(2);
    expect(captured.err[0]).toMatch(/^gm status: no game "valheim" in .*minecraft-java\.yaml; games in .*: mc$/);
  });

  it('a game whose group does not exist is "not-deployed", exit 1', async () => {
    aws.group = undefined;

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.out).toEqual(['mc (mc.example.com): not-deployed — no Auto Scaling group']);
  });

  it('a throttled read that outlasted the retries: one line, exit 1', async () => {
    aws.failWith('GetParameter', throttling());

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.out).toEqual([]);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm status: AWS kept answering ThrottlingException.*try again in a minute$/);
  });

  it('access denied: one line naming the action', async () => {
    const resource = 'arn:aws:ssm:eu-west-1:123456789012:parameter/gm/mc/session';
    aws.failWith('GetParameter', accessDenied('ssm:GetParameter', resource));

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toEqual([`gm status: AWS denied ssm:GetParameter on ${resource}: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)`]);
  });

  it('no credentials: one line, exit 1', async () => {
    aws.failWith('DescribeAutoScalingGroups', noCredentials());
    aws.failWith('GetParameter', noCredentials());

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm status: no AWS credentials found/);
  });
});

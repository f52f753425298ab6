/**
 * `gm start` in process against a mocked AWS (game-status/mock-game.ts) that
 * boots the way the control loop does: the group goes to 1, an instance
 * launches, the instance hook writes a fresh watchdog state and starts the
 * task, the watchdog sees the game answer. Time is a test clock; AWS moves on
 * at each of the command's sleeps.
 */
import { join } from 'node:path';
import { startCommandWith } from '../../src/cli/commands/start';
import { main } from '../../src/cli/main';
import { throttling } from '../support/aws-errors';
import { captureIo } from '../support/cli-io';
import { testClock, type TestClock } from '../support/clock';
import { accessDenied, INSTANCE, MockGame, NAMES, noCredentials } from './game-status/mock-game';
import { REPO_ROOT } from './run-cli';

const MC_CONFIG = join(REPO_ROOT, 'examples/minecraft-java.yaml');
const NOW = '2026-11-30T10:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const at = (seconds: number) => new Date(NOW_MS + seconds * 1000).toISOString();
const IP = '203.0.113.10';

let aws: MockGame;
let clock: TestClock;

afterAll(() => Object.values(aws.mocks).forEach((m) => m.restore()));
beforeEach(() => {
  aws = new MockGame();
  aws.install();
  clock = testClock(NOW);
});

function run(args: string[], captured = captureIo()) {
  return { captured, status: main(['start', ...args], captured.io, [startCommandWith({ clock, env: { GM_CONFIG: MC_CONFIG } })]) };
}

interface Boot {
  /** Seconds after the group goes to 1: the instance launches at once; the hook writes the state at `hook`. */
  readonly hook: number;
  readonly registered: number;
  readonly taskStarted: number;
  /** Undefined: the game never answers. */
  readonly ready?: number;
}

/** The control loop's start, on the clock, from the moment the group goes to 1. */
function bootsLikeTheLoop(boot: Boot): { scaledAt: () => number | undefined } {
  let scaledAt: number | undefined;
  aws.onScale = (desired) => {
    if (desired !== 1) return;
    scaledAt = clock.now();
    aws.group!.instances = [{ id: INSTANCE, state: 'Pending' }];
    aws.hosts = [{ id: INSTANCE, ec2State: 'pending', launchTime: new Date(scaledAt).toISOString() }];
  };
  const step = (now: number) => {
    if (scaledAt === undefined) return;
    const since = (now - scaledAt) / 1000;
    const iso = (s: number) => new Date(scaledAt! + s * 1000).toISOString();
    const session = JSON.parse(aws.parameters.get(NAMES.session) ?? '{}') as { startedAt?: string; source?: string };
    if (since >= boot.hook && aws.state()?.instanceId !== INSTANCE) {
      aws.group!.instances = [{ id: INSTANCE, state: 'InService' }];
      Object.assign(aws.hosts[0]!, { ec2State: 'running', ipv4: IP });
      aws.parameters.set(
        NAMES.state,
        JSON.stringify({ instanceId: INSTANCE, launchedAt: iso(0), watchingSince: iso(boot.hook), wakeAt: session.startedAt, startSource: session.source, everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false }),
      );
    }
    if (since >= boot.registered) aws.hosts[0]!.registeredAt = iso(boot.registered);
    if (since >= boot.registered && aws.tasks.length === 0) aws.tasks = [{ id: 'task1', lastStatus: 'PENDING', desiredStatus: 'RUNNING', createdAt: iso(boot.registered), pullStartedAt: iso(boot.registered) }];
    if (since >= boot.taskStarted && aws.tasks[0]?.lastStatus === 'PENDING') Object.assign(aws.tasks[0], { lastStatus: 'RUNNING', pullStoppedAt: iso(boot.taskStarted - 5), startedAt: iso(boot.taskStarted) });
    if (boot.ready !== undefined && since >= boot.ready) aws.parameters.set(NAMES.state, JSON.stringify({ ...aws.state(), readyAt: iso(boot.ready), players: 0, lastRunAt: iso(boot.ready) }));
  };
  clock.onSleep = step;
  return { scaledAt: () => scaledAt };
}

describe('gm start', () => {
  it('claims the session as an operator start, raises the group, prints each step as it appears and exits 0 when the game answers', async () => {
    bootsLikeTheLoop({ hook: 10, registered: 30, taskStarted: 55, ready: 70 });

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(aws.desiredSet).toEqual([1]);
    expect(JSON.parse(aws.parameters.get(NAMES.session) ?? '{}')).toEqual({ startedAt: NOW, source: 'operator' });
    // The steps are read every 5 s, so each appears at the first read after it; its own time is printed.
    expect(captured.out).toEqual([
      'starting mc',
      '  10:00:00  wake',
      '  10:00:00  instance launched  +0 s',
      '  10:00:30  agent registered   +30 s',
      '  10:00:30  pulling image      +0 s',
      '  10:00:50  image pulled       +20 s',
      '  10:00:55  task running       +5 s',
      '  10:01:10  ready              +15 s',
      `mc is ready after 1 min 10 s: connect to mc.example.com (${IP})`,
    ]);
    expect(captured.err).toEqual([]);
  });

  it('a game that runs already: says so with its address, changes nothing, exit 0', async () => {
    aws.group = { desired: 1, instances: [{ id: INSTANCE, state: 'InService' }] };
    aws.hosts = [{ id: INSTANCE, ec2State: 'running', launchTime: at(-600), ipv4: IP, registeredAt: at(-580) }];
    aws.parameters.set(NAMES.session, JSON.stringify({ startedAt: at(-601), source: 'lookup' }));
    aws.parameters.set(NAMES.state, JSON.stringify({ instanceId: INSTANCE, launchedAt: at(-600), readyAt: at(-500), players: 1, everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false }));

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out).toEqual([`mc is already running: connect to mc.example.com (${IP})`]);
    expect(aws.desiredSet).toEqual([]);
  });

  it('a game still stopping: the wake waits for the end of the stop (never a second host), then the start is followed', async () => {
    // Stopping: group at 0, the old host still draining, its session still there.
    aws.group = { desired: 0, instances: [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'Terminating:Wait' }] };
    aws.parameters.set(NAMES.session, JSON.stringify({ startedAt: at(-7200), source: 'lookup', lookupAt: at(-7201) }));
    const loop = bootsLikeTheLoop({ hook: 10, registered: 25, taskStarted: 40, ready: 60 });
    const boot = clock.onSleep!;
    // The end of the stop, 30 s in: the instance hook ends the session and, finding the wake, starts the game.
    clock.onSleep = async (now) => {
      if (now - NOW_MS >= 30_000 && aws.group!.desired === 0) {
        expect(aws.parameters.has(NAMES.pendingWake)).toBe(true);
        aws.group!.instances = [];
        aws.parameters.delete(NAMES.pendingWake);
        aws.parameters.set(NAMES.session, JSON.stringify({ startedAt: new Date(now).toISOString(), source: 'pending-wake' }));
        aws.group!.desired = 1;
        aws.onScale?.(1);
      }
      await boot(now);
    };

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(aws.desiredSet).toEqual([]);
    expect(loop.scaledAt()).toBe(NOW_MS + 30_000);
    expect(captured.out).toEqual([
      'mc is still stopping: it starts when the stop ends',
      '  10:00:30  wake',
      '  10:00:30  instance launched  +0 s',
      '  10:00:55  agent registered   +25 s',
      '  10:00:55  pulling image      +0 s',
      '  10:01:05  image pulled       +10 s',
      '  10:01:10  task running       +5 s',
      '  10:01:30  ready              +20 s',
      `mc is ready after 1 min 30 s: connect to mc.example.com (${IP})`,
    ]);
    expect(captured.progress.filter(Boolean)[0]).toMatch(/^\S starting mc: waiting for the stop to end \(instance terminating\) \(0 s\)$/);
  });

  it('a game the watchdog stops as never ready: exit 1 with the last probe error', async () => {
    const loop = bootsLikeTheLoop({ hook: 10, registered: 30, taskStarted: 55 });
    const boot = clock.onSleep!;
    clock.onSleep = async (now) => {
      await boot(now);
      const since = (now - (loop.scaledAt() ?? now)) / 1000;
      if (since >= 120 && aws.group!.desired === 1) {
        // The watchdog's verdict and the end of the stop, as the loop makes them.
        aws.parameters.set(NAMES.state, JSON.stringify({ ...aws.state(), lastProbeError: 'connect ECONNREFUSED 203.0.113.10:25565', stopRequestedAt: new Date(now).toISOString(), stopReason: 'never-ready' }));
        aws.group = { desired: 0, instances: [] };
        aws.tasks[0]!.desiredStatus = 'STOPPED';
        aws.parameters.delete(NAMES.session);
      }
    };

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toEqual([
      'mc did not get ready: stopped (never-ready): the game did not answer: connect ECONNREFUSED 203.0.113.10:25565; see its log with `npm run --silent gm -- logs mc`',
    ]);
  });

  it('not ready after startupMinutes: exit 1 with the reason, the start left to the watchdog', async () => {
    bootsLikeTheLoop({ hook: 10, registered: 30, taskStarted: 55 });
    const boot = clock.onSleep!;
    clock.onSleep = async (now) => {
      await boot(now);
      if (aws.state()?.instanceId === INSTANCE && !aws.state()?.lastProbeError) aws.parameters.set(NAMES.state, JSON.stringify({ ...aws.state(), lastProbeError: 'timed out after 5000 ms' }));
    };

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    // examples/minecraft-java.yaml: startupMinutes 15 (the default), plus a minute for the watchdog's verdict.
    expect(captured.err).toEqual([
      'mc is not ready after 16 min (startupMinutes 15): the game did not answer: timed out after 5000 ms; the watchdog stops a game that never answers; `npm run --silent gm -- status mc` shows it',
    ]);
  });

  it('Ctrl-C while following: the start goes on in AWS, exit 130', async () => {
    bootsLikeTheLoop({ hook: 10, registered: 30, taskStarted: 55, ready: 70 });
    const captured = captureIo();
    const boot = clock.onSleep!;
    clock.onSleep = async (now) => {
      await boot(now);
      captured.interrupt();
    };

    const { status } = run(['mc'], captured);

    await expect(status).resolves.toBe(130);
    expect(captured.err).toEqual(['interrupted: the start goes on in AWS; `npm run --silent gm -- status mc` follows it']);
    expect(aws.group?.desired).toBe(1);
  });
});

describe('gm start failures', () => {
  it('a game id not in the configuration lists the games, exit 2', async () => {
    const { captured, status } = run(['valheim']);

    await expect(status).resolves.toBe(2);
    expect(captured.err[0]).toMatch(/^gm start: no game "valheim" in .*; games in .*: mc$/);
  });

  it('a group that does not exist: not deployed, and the session claim released', async () => {
    aws.group = undefined;

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toEqual(['mc is not deployed in eu-west-1: no Auto Scaling group gm-mc (run `cdktf deploy`, or pass the --region you deployed to)']);
    expect(aws.parameters.has(NAMES.session)).toBe(false);
  });

  it('a throttled read while following is one more "not yet"', async () => {
    bootsLikeTheLoop({ hook: 10, registered: 30, taskStarted: 55, ready: 70 });
    aws.onScale = ((original) => (desired: number) => {
      original?.(desired);
      aws.failWith('DescribeInstances', throttling(), 2);
    })(aws.onScale);

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out.at(-1)).toBe(`mc is ready after 1 min 10 s: connect to mc.example.com (${IP})`);
  });

  it('throttled past the retries on the claim: one line, exit 1, no session left behind', async () => {
    aws.failWith('PutParameter', throttling());

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm start: AWS kept answering ThrottlingException.*try again in a minute$/);
    expect(aws.parameters.has(NAMES.session)).toBe(false);
  });

  it('access denied on the scale-up: one line naming the action, and the claim released', async () => {
    const arn = 'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/gm-mc';
    aws.failWith('SetDesiredCapacity', accessDenied('autoscaling:SetDesiredCapacity', arn));

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toEqual([`gm start: AWS denied autoscaling:SetDesiredCapacity on ${arn}: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)`]);
    expect(aws.parameters.has(NAMES.session)).toBe(false);
  });

  it('no credentials: one line, exit 1', async () => {
    aws.failWith('PutParameter', noCredentials());
    aws.failWith('GetParameter', noCredentials());

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm start: no AWS credentials found/);
  });
});

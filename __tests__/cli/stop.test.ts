/**
 * `gm stop` in process against a mocked AWS (mock-game.ts) that drains the
 * way the instance hook makes it: the group goes to 0, the game saves, the
 * host terminates and the session ends. Time is a test clock: AWS moves on
 * at each of the command's sleeps, nothing really waits.
 */
import { join } from 'node:path';
import { stopAndWait, stopCommandWith } from '../../src/cli/commands/stop';
import { findGame, loadDeployment } from '../../src/cli/aws/deployment';
import { main } from '../../src/cli/main';
import { throttling } from '../support/aws-errors';
import { captureIo } from '../support/cli-io';
import { testClock, type TestClock } from '../support/clock';
import { accessDenied, INSTANCE, MockGame, NAMES, noCredentials } from './game-status/mock-game';
import { REPO_ROOT } from './run-cli';

const MC_CONFIG = join(REPO_ROOT, 'examples/minecraft-java.yaml');
const ENV = { GM_CONFIG: MC_CONFIG };
const NOW = '2026-11-30T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

let aws: MockGame;
let clock: TestClock;

/** A game that has been running for an hour with its watchdog state and session. */
function running(): void {
  aws.group = { desired: 1, instances: [{ id: INSTANCE, state: 'InService' }] };
  aws.hosts = [{ id: INSTANCE, ec2State: 'running', launchTime: at(-3600), ipv4: '203.0.113.10', registeredAt: at(-3580) }];
  aws.tasks = [{ id: 'task1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', createdAt: at(-3575), startedAt: at(-3560) }];
  aws.parameters.set(NAMES.session, JSON.stringify({ startedAt: at(-3602), source: 'lookup', lookupAt: at(-3603) }));
  aws.parameters.set(
    NAMES.state,
    JSON.stringify({ instanceId: INSTANCE, launchedAt: at(-3600), readyAt: at(-3500), players: 2, everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false }),
  );
}

/**
 * What the instance hook's terminate path does once the group is at 0: the
 * host drains at once (the game gets SIGTERM), the game has saved `saveS`
 * seconds later, and the host has left the group with the session ended
 * `goneS` seconds after the scale-down.
 */
function drainsLikeTheHook(saveS: number, goneS: number): void {
  let scaledAt: number | undefined;
  aws.onScale = (desired) => {
    if (desired !== 0) return;
    scaledAt = clock.now();
    aws.group!.instances = [{ id: INSTANCE, state: 'Terminating:Wait' }];
    aws.tasks[0]!.desiredStatus = 'STOPPED';
  };
  clock.onSleep = (now) => {
    if (scaledAt === undefined) return;
    const since = (now - scaledAt) / 1000;
    if (since >= saveS && aws.tasks[0]!.lastStatus === 'RUNNING') Object.assign(aws.tasks[0]!, { lastStatus: 'STOPPED', stoppedAt: new Date(now).toISOString(), exitCode: 0, stopCode: 'ServiceSchedulerInitiated' });
    if (since >= saveS) aws.group!.instances = since >= goneS ? [] : [{ id: INSTANCE, state: 'Terminating:Proceed' }];
    if (since >= goneS) aws.parameters.delete(NAMES.session);
  };
}

function run(args: string[], captured = captureIo()) {
  return { captured, status: main(['stop', ...args], captured.io, [stopCommandWith({ clock, env: ENV })]) };
}

beforeEach(() => {
  aws = new MockGame();
  aws.install();
  clock = testClock(NOW);
});

afterAll(() => {
  aws.mocks && Object.values(aws.mocks).forEach((m) => m.restore());
});

describe('gm stop', () => {
  it('scales the group to 0, records a manual stop, follows the drain and the termination, and prints the duration', async () => {
    running();
    drainsLikeTheHook(20, 45);

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(aws.desiredSet).toEqual([0]);
    expect(aws.state()).toMatchObject({ instanceId: INSTANCE, stopReason: 'manual', stopRequestedAt: NOW });
    expect(captured.out).toEqual(['stopping mc: the game saves, then its host terminates', 'mc stopped in 45 s']);
    expect(captured.err).toEqual([]);
    const steps = captured.progress.filter((p): p is string => p !== undefined).map((p) => p.replace(/^\S+ /, '').replace(/ \(\d+ s\)$/, ''));
    expect([...new Set(steps)]).toEqual(['stopping mc: draining: the game is saving', 'stopping mc: instance terminating']);
    expect(captured.progress.at(-1)).toBeUndefined();
  });

  it('a game already stopped is left alone: one line, exit 0, nothing changed', async () => {
    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(captured.out).toEqual(['mc is already stopped']);
    expect(aws.desiredSet).toEqual([]);
    expect(aws.parameters.has(NAMES.state)).toBe(false);
  });

  it('a session record the end of a stop never removed is named after a minute, not waited for forever', async () => {
    aws.parameters.set(NAMES.session, JSON.stringify({ startedAt: at(-7200), source: 'lookup' }));

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(clock.at - Date.parse(NOW)).toBe(60_000);
    expect(captured.out).toEqual([
      "mc is already stopped, but its session record /gm/mc/session remains (the end of the stop did not run: see the instance hook's log); the next start clears it",
    ]);
  });

  it('a game already stopping is followed, not stopped again', async () => {
    running();
    drainsLikeTheHook(10, 20);
    aws.group = { desired: 0, instances: [{ id: INSTANCE, state: 'Terminating:Wait' }] };
    aws.onScale?.(0);

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(0);
    expect(aws.desiredSet).toEqual([]);
    expect(captured.out).toEqual(['mc is already stopping; waiting for the stop to end', 'mc stopped in 20 s']);
  });

  it('a game id not in the configuration: the usage error lists the games, exit 2', async () => {
    const { captured, status } = run(['valheim']);

    await expect(status).resolves.toBe(2);
    expect(captured.err[0]).toBe('gm stop: no game "valheim" in ' + MC_CONFIG.replace(`${process.cwd()}/`, '') + '; games in ' + MC_CONFIG.replace(`${process.cwd()}/`, '') + ': mc');
    expect(aws.desiredSet).toEqual([]);
  });

  it('a game whose group does not exist: one line saying it is not deployed, exit 1', async () => {
    aws.group = undefined;

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toEqual([
      'mc is not deployed in eu-west-1: no Auto Scaling group gm-mc (run `cdktf deploy`, or pass the --region you deployed to)',
    ]);
  });

  it('a throttled read while waiting is one more "not yet": the stop is still followed to its end', async () => {
    running();
    drainsLikeTheHook(10, 30);
    aws.failWith('DescribeAutoScalingGroups', throttling(), 0);
    const captured = captureIo();
    // The first read of the wait (after the stop) is throttled.
    aws.onScale = ((original) => (desired: number) => {
      original?.(desired);
      aws.failWith('DescribeAutoScalingGroups', throttling(), 1);
    })(aws.onScale);

    const { status } = run(['mc'], captured);

    await expect(status).resolves.toBe(0);
    expect(captured.out.at(-1)).toBe('mc stopped in 30 s');
    expect(captured.progress.filter(Boolean)[0]).toMatch(/stopping mc: asking AWS \(0 s\)$/);
  });

  it('throttled past the retries on the stop itself: one line naming the error, exit 1', async () => {
    running();
    aws.failWith('SetDesiredCapacity', throttling());

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm stop: AWS kept answering ThrottlingException.* try again in a minute$/);
    expect(aws.group?.desired).toBe(1);
  });

  it('access denied: one line naming the action, exit 1', async () => {
    running();
    const arn = 'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/gm-mc';
    aws.failWith('SetDesiredCapacity', accessDenied('autoscaling:SetDesiredCapacity', arn));

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toEqual([`gm stop: AWS denied autoscaling:SetDesiredCapacity on ${arn}: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)`]);
  });

  it('no credentials: one line, exit 1', async () => {
    aws.failWith('DescribeAutoScalingGroups', noCredentials());

    const { captured, status } = run(['mc']);

    await expect(status).resolves.toBe(1);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm stop: no AWS credentials found/);
  });

  it('Ctrl-C while waiting: says the stop goes on in AWS, exit 130, nothing undone', async () => {
    running();
    drainsLikeTheHook(100, 200);
    const captured = captureIo();
    clock.onSleep = () => captured.interrupt();

    const { status } = run(['mc'], captured);

    await expect(status).resolves.toBe(130);
    expect(captured.err).toEqual(['interrupted: the stop goes on in AWS; `npm run --silent gm -- status mc` follows it']);
    expect(aws.group?.desired).toBe(0);
  });
});

describe('stopAndWait (what gm restore builds on)', () => {
  const target = () => findGame(loadDeployment({}, { ...ENV }), 'mc');

  it('is true once the game is stopped', async () => {
    running();
    drainsLikeTheHook(5, 10);
    const { io, out } = captureIo();

    await expect(stopAndWait(target(), io, clock)).resolves.toBe(true);
    expect(out.at(-1)).toBe('mc stopped in 10 s');
  });

  it('is false, with the reason, when the host never leaves within the wait', async () => {
    running();
    drainsLikeTheHook(5, Number.POSITIVE_INFINITY);
    const { io, err } = captureIo();

    await expect(stopAndWait(target(), io, clock)).resolves.toBe(false);
    // examples/minecraft-java.yaml: stop timeout 120 s + 5 min for the drain and the termination.
    expect(err).toEqual(['mc is not stopped after 7 min (instance terminating); the stop goes on in AWS; `npm run --silent gm -- status mc` follows it']);
  });

  it('is false when the game was started again during its stop (a wake came)', async () => {
    running();
    drainsLikeTheHook(5, 10);
    const hook = clock.onSleep;
    clock.onSleep = async (now) => {
      await hook?.(now);
      if (aws.group!.instances.length === 0) aws.group = { desired: 1, instances: [{ id: 'i-0fedcba9876543210', state: 'Pending' }] };
    };
    const { io, err } = captureIo();

    await expect(stopAndWait(target(), io, clock)).resolves.toBe(false);
    expect(err).toEqual(['mc was started again during its stop (a wake came, or the group was raised): it is not stopped; `npm run --silent gm -- status mc` shows it']);
  });
});

/**
 * The watchdog under faults: throttling, 5xx and hung calls (the SDK's
 * TimeoutError) on each AWS call in turn, the same event twice, events out of
 * order, missing or corrupt state, malformed events and payloads. Each test
 * states the end state (no lost stop, nothing announced twice, nothing
 * half-done) and that the failure shows in a log line and a metric.
 *
 * AWS keeps its state between runs here (the group's capacity, the stored
 * watchdog state), so a test can run the next minute and see what it does.
 */
import '../../support/powertools-env';
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCommandInvocationCommand, GetParameterCommand, PutParameterCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import type { RuntimeGame } from '../../../src/runtime/game';
import type { WatchdogState } from '../../../src/runtime/watchdog-state';
import {
  GAME,
  INSTANCE,
  NOW,
  SCHEDULED,
  bootingState,
  disabledRules,
  givenConnections,
  givenRecords,
  givenSession,
  iso,
  lookupSession,
  mocks,
  playedState,
  published,
  resetWorld,
  savedStates,
  scaledTo,
  watchdog,
} from './support';
import { awsError, TRANSIENT_FAULTS } from '../../support/aws-errors';
import { groupDescription } from '../../support/aws-mocks';
import type { TestClock } from '../../support/clock';
import { capturePowertools } from '../../support/powertools-output';

const output = capturePowertools();

const MINUTE = 60_000;

/** AWS as it stands between runs: the group's capacity and instances, the stored state. */
interface World {
  desired: number;
  instances: { id: string; state: string }[];
  stored: string | undefined;
}

let world: World;

function givenWorld(state: WatchdogState | string | undefined, desired = 1): void {
  world = { desired, instances: [{ id: INSTANCE, state: 'InService' }], stored: typeof state === 'object' ? JSON.stringify(state) : state };
  mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(describeWorldGroup);
  mocks.autoScaling.on(SetDesiredCapacityCommand).callsFake(scaleWorld);
  mocks.ssm.on(GetParameterCommand, { Name: GAME.stateParameterName }).callsFake(() => {
    if (world.stored === undefined) throw awsError('ParameterNotFound');
    return { Parameter: { Name: GAME.stateParameterName, Value: world.stored } };
  });
  mocks.ssm.on(PutParameterCommand, { Name: GAME.stateParameterName }).callsFake((input: { Value: string }) => {
    world.stored = input.Value;
    return { Version: 2 };
  });
}

function describeWorldGroup() {
  return groupDescription(GAME.asgName, world.desired, world.instances);
}

function scaleWorld(input: { DesiredCapacity: number }) {
  world.desired = input.DesiredCapacity;
  // Scaled to 0, the instance goes to Terminating:Wait (the hook drains it).
  if (input.DesiredCapacity === 0) world.instances = world.instances.map((i) => ({ ...i, state: 'Terminating:Wait' }));
  return {};
}

const storedState = () => JSON.parse(world.stored ?? 'null') as WatchdogState;

/** The failure is visible: a log line with this message and the metric. */
function expectVisible(level: string, message: string | RegExp, metric: string): void {
  expect(output.logs()).toContainEqual(expect.objectContaining({ level, message: typeof message === 'string' ? message : expect.stringMatching(message) }));
  expect(output.metricNames()).toContain(metric);
}

const expectRunFailureVisible = () => expectVisible('ERROR', 'watchdog run failed', 'RunFailures');
const expectProbeErrorVisible = () => expectVisible('WARN', 'probe failed', 'ProbeErrors');

/** The next scheduled run, a minute later, with fresh Powertools output. */
async function nextMinute(run: (e: unknown) => Promise<unknown>, clock: TestClock): Promise<unknown> {
  clock.at += MINUTE;
  resetOutput();
  return run(SCHEDULED);
}

function resetOutput(): void {
  (console.log as jest.Mock).mockClear();
  (console.info as jest.Mock).mockClear();
  (console.warn as jest.Mock).mockClear();
  (console.error as jest.Mock).mockClear();
}

/** An idle game due for its stop this minute. */
function idleDue(): void {
  givenWorld(playedState(11));
  givenConnections('Success', '0\n');
}

beforeEach(resetWorld);

describe.each(TRANSIENT_FAULTS)('%s', (_kind, fault) => {
  describe('on a call that fails the run: nothing half-done, and the next minute stops the game (no lost stop)', () => {
    it('DescribeAutoScalingGroups', async () => {
      idleDue();
      mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).rejectsOnce(fault()).callsFake(describeWorldGroup);
      const { run, clock } = watchdog();

      await expect(run(SCHEDULED)).rejects.toMatchObject({ name: fault().name });
      expect(savedStates()).toEqual([]);
      expect(scaledTo()).toEqual([]);
      expectRunFailureVisible();

      await nextMinute(run, clock);
      expect(scaledTo()).toEqual([0]);
      expect(published().map((p) => p.Subject)).toEqual(['stopping mc.example.com: idle 12 min']);
    });

    it('GetParameter of the state: the stored state is not replaced by a fresh one', async () => {
      idleDue();
      const before = world.stored;
      mocks.ssm.on(GetParameterCommand, { Name: GAME.stateParameterName }).rejectsOnce(fault());
      const { run, clock } = watchdog();

      await expect(run(SCHEDULED)).rejects.toMatchObject({ name: fault().name });
      expect(world.stored).toBe(before);
      expect(scaledTo()).toEqual([]);
      expectRunFailureVisible();

      givenWorld(playedState(11)); // the mock's state reading works again, with the untouched state
      await nextMinute(run, clock);
      expect(scaledTo()).toEqual([0]);
      expect(storedState()).toMatchObject({ stopReason: 'idle' });
    });

    it('SetDesiredCapacity: the stop is not recorded, so the next run decides it again; one notice in all', async () => {
      idleDue();
      mocks.autoScaling.on(SetDesiredCapacityCommand).rejectsOnce(fault()).callsFake(scaleWorld);
      const { run, clock } = watchdog();

      await expect(run(SCHEDULED)).rejects.toMatchObject({ name: fault().name });
      expect(storedState().stopRequestedAt).toBeUndefined();
      expect(published()).toEqual([]);
      expectRunFailureVisible();

      givenWorld(storedState());
      await nextMinute(run, clock);
      expect(world.desired).toBe(0);
      expect(storedState()).toMatchObject({ stopReason: 'idle', stopRequestedAt: new Date(NOW + MINUTE).toISOString() });
      expect(published().map((p) => p.Subject)).toEqual(['stopping mc.example.com: idle 12 min']);
    });

    it('PutParameter of a stop: the group is at 0 already and stays there; nothing is announced twice', async () => {
      idleDue();
      mocks.ssm.on(PutParameterCommand, { Name: GAME.stateParameterName }).rejectsOnce(fault());
      const { run, clock } = watchdog();

      await expect(run(SCHEDULED)).rejects.toMatchObject({ name: fault().name });
      expect(world.desired).toBe(0);
      expect(published()).toEqual([]);
      expectRunFailureVisible();

      givenWorld(world.stored, world.desired);
      world.instances = [{ id: INSTANCE, state: 'Terminating:Wait' }];
      await expect(nextMinute(run, clock)).resolves.toEqual({ status: 'no-instance', desiredCapacity: 0 });
      expect(scaledTo()).toEqual([0]);
      expect(published()).toEqual([]);
    });

    it('PutParameter of "ready": no notice until the state holds it, then exactly one', async () => {
      givenWorld(bootingState(2));
      givenConnections('Success', '0');
      mocks.ssm.on(PutParameterCommand, { Name: GAME.stateParameterName }).rejectsOnce(fault());
      const { run, clock } = watchdog();

      await expect(run(SCHEDULED)).rejects.toMatchObject({ name: fault().name });
      expect(published()).toEqual([]);
      expectRunFailureVisible();

      givenWorld(bootingState(2));
      await nextMinute(run, clock);
      expect(published().map((p) => p.Subject)).toEqual(['ready mc.example.com in 180 s']);
      expect(storedState()).toMatchObject({ readyAt: new Date(NOW + MINUTE).toISOString() });
    });

    it('DisableRule (no instance left): the run fails, and the next one turns the schedule off', async () => {
      givenWorld(undefined, 0);
      world.instances = [];
      mocks.eventBridge.on(DisableRuleCommand).rejectsOnce(fault()).resolves({});
      const { run, clock } = watchdog();

      await expect(run(SCHEDULED)).rejects.toMatchObject({ name: fault().name });
      expectRunFailureVisible();

      await expect(nextMinute(run, clock)).resolves.toEqual({ status: 'no-instance', desiredCapacity: 0 });
      expect(disabledRules()).toEqual([GAME.watchdogRuleName, GAME.watchdogRuleName]);
    });
  });

  describe('on a probe\'s call: a probe error, never zero players, so no stop (and the idle clock pauses)', () => {
    const expectNoStopThenStop = async (run: (e: unknown) => Promise<unknown>, clock: TestClock, heal: () => void) => {
      await expect(run(SCHEDULED)).resolves.toMatchObject({ status: 'probed', probe: { ok: false }, actions: [] });
      expect(scaledTo()).toEqual([]);
      expect(storedState()).toMatchObject({ consecutiveProbeErrors: 1, probeErrorsSince: expect.any(String), players: 0 });
      expectProbeErrorVisible();

      heal();
      await nextMinute(run, clock);
      // 12 min since players left, one of them unknown: idle 11 min, past idleMinutes 10.
      expect(scaledTo()).toEqual([0]);
      expect(published().map((p) => p.Subject)).toEqual(['stopping mc.example.com: idle 11 min']);
    };

    it('DescribeServices (is the game container running?)', async () => {
      idleDue();
      mocks.ecs.on(DescribeServicesCommand).rejectsOnce(fault()).resolves({ services: [{ serviceName: GAME.serviceName, runningCount: 1 }] });
      const { run, clock } = watchdog();

      await expectNoStopThenStop(run, clock, () => undefined);
    });

    it('SendCommand (connections)', async () => {
      idleDue();
      mocks.ssm.on(SendCommandCommand).rejectsOnce(fault()).resolves({ Command: { CommandId: 'cmd-1' } });
      const { run, clock } = watchdog();

      await expectNoStopThenStop(run, clock, () => undefined);
    });

    it('GetCommandInvocation (connections), failing until the probe\'s deadline', async () => {
      idleDue();
      mocks.ssm.on(GetCommandInvocationCommand).rejects(fault());
      const { run, clock } = watchdog();

      await expectNoStopThenStop(run, clock, () => givenConnections('Success', '0\n'));
      expect(storedState().lastProbeError).toBeUndefined();
    });

    it('ListResourceRecordSets (the query probe\'s address)', async () => {
      const game: RuntimeGame = { ...GAME, probe: { type: 'query', game: 'minecraft', port: 25565 } };
      givenWorld(playedState(11));
      mocks.route53.on(ListResourceRecordSetsCommand).rejects(fault());
      const { run } = watchdog({ game });

      await expect(run(SCHEDULED)).resolves.toMatchObject({
        probe: { ok: false, error: expect.stringMatching(new RegExp(`^could not read the address of mc\\.example\\.com: ${fault().name}`)) },
        actions: [],
      });
      expect(scaledTo()).toEqual([]);
      expectProbeErrorVisible();
    });

    it('GetMetricData (traffic)', async () => {
      const game: RuntimeGame = { ...GAME, probe: { type: 'traffic', bytesPerMinute: 20_000 } };
      givenWorld(playedState(11));
      mocks.cloudWatch.on(GetMetricDataCommand).rejectsOnce(fault()).resolves({
        MetricDataResults: [{ Id: 'networkIn', Timestamps: [new Date(NOW)], Values: [10] }],
      });
      const { run, clock } = watchdog({ game });

      await expectNoStopThenStop(run, clock, () => undefined);
    });
  });

  it('on GetParameter of the session: the run goes on, readiness counted from the launch', async () => {
    givenWorld(bootingState(2));
    givenConnections('Success', '0');
    mocks.ssm.on(GetParameterCommand, { Name: GAME.sessionParameterName }).rejects(fault());

    await expect(watchdog().run(SCHEDULED)).resolves.toMatchObject({ actions: [{ type: 'notify-ready', seconds: 120 }] });
    expect(storedState()).toMatchObject({ readyAt: iso(0) });
    expectVisible('WARN', /could not read the session/, 'SessionReadErrors');
  });

  it('on Publish: the run goes on, the stop is done and recorded', async () => {
    idleDue();
    mocks.sns.on(PublishCommand).rejects(fault());

    await expect(watchdog().run(SCHEDULED)).resolves.toMatchObject({ status: 'probed', actions: [{ type: 'stop', reason: 'idle' }] });
    expect(world.desired).toBe(0);
    expect(storedState()).toMatchObject({ stopReason: 'idle' });
    expectVisible('WARN', /could not publish the notice/, 'NoticeFailures');
  });
});

describe('the same event twice', () => {
  it('a stop: the second run finds the group at 0; one scale-down, one notice', async () => {
    idleDue();
    const { run, clock } = watchdog();

    await expect(run(SCHEDULED)).resolves.toMatchObject({ actions: [{ type: 'stop' }] });
    clock.at += 2_000;
    await expect(run(SCHEDULED)).resolves.toEqual({ status: 'no-instance', desiredCapacity: 0 });

    expect(scaledTo()).toEqual([0]);
    expect(published()).toHaveLength(1);
    expect(storedState()).toMatchObject({ stopReason: 'idle', stopRequestedAt: iso(0) });
  });

  it('a stop whose instance still shows InService (the group lags): nothing decided twice, lastRunAt moves', async () => {
    idleDue();
    const { run, clock } = watchdog();
    await run(SCHEDULED);
    world.instances = [{ id: INSTANCE, state: 'InService' }];
    clock.at += 2_000;

    await expect(run(SCHEDULED)).resolves.toEqual({ status: 'stopping', instanceId: INSTANCE });
    expect(scaledTo()).toEqual([0]);
    expect(published()).toHaveLength(1);
    expect(storedState()).toMatchObject({ stopRequestedAt: iso(0), lastRunAt: new Date(NOW + 2_000).toISOString() });
  });

  it('"ready": announced once', async () => {
    givenWorld(bootingState(2));
    givenSession(lookupSession(2));
    givenConnections('Success', '0');
    const { run, clock } = watchdog();

    await run(SCHEDULED);
    clock.at += 2_000;
    await expect(run(SCHEDULED)).resolves.toMatchObject({ actions: [] });

    expect(published().map((p) => p.Subject)).toEqual(['ready mc.example.com in 120 s']);
    expect(storedState().readyAt).toBe(iso(0));
  });
});

it('events out of order (a run whose clock is behind the last one): no time moves backwards, nothing stops', async () => {
  givenWorld(playedState(8));
  givenConnections('Success', '0');
  const { run, clock } = watchdog();

  clock.at = NOW + MINUTE;
  await run(SCHEDULED);
  clock.at = NOW + MINUTE / 2;
  await expect(run({ ...SCHEDULED, time: '2025-06-01T17:59:00Z' })).resolves.toMatchObject({ actions: [] });

  expect(storedState()).toMatchObject({ lastRunAt: new Date(NOW + MINUTE).toISOString(), idleSince: iso(8) });
  expect(scaledTo()).toEqual([]);
});

describe('missing or corrupt state: a fresh one, from now; never a stop or a "not ready" because of it', () => {
  it.each([
    ['missing', undefined, 'nothing stored'],
    ['the "{}" the deploy writes', '{}', 'stored value is malformed: instanceId'],
    ['not JSON', '{"instanceId": "i-0', 'stored value is not JSON'],
    ['of the wrong shape', JSON.stringify({ ...playedState(3), consecutiveProbeErrors: 'many' }), 'stored value is malformed: consecutiveProbeErrors'],
    ['another instance\'s', JSON.stringify(playedState(3, { instanceId: 'i-0ffffffffffffffff' })), 'stored state belongs to instance i-0ffffffffffffffff'],
  ])('%s', async (_label, raw, reason) => {
    givenWorld(raw);
    givenSession(lookupSession(90));
    givenConnections('Failed', '', 'nothing listens', 3);

    await expect(watchdog().run(SCHEDULED)).resolves.toMatchObject({ actions: [] });

    expect(storedState()).toMatchObject({ instanceId: INSTANCE, watchingSince: expect.any(String), consecutiveProbeErrors: 1 });
    expect(scaledTo()).toEqual([]);
    expect(published()).toEqual([]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'starting a fresh watchdog state', reason: expect.stringContaining(reason) }));
    expect(output.metricNames()).toContain('StateResets');
  });

  it('a corrupt session: readiness counted from the launch', async () => {
    givenWorld(bootingState(2));
    givenSession('{"startedAt": 12');
    givenConnections('Success', '0');

    await expect(watchdog().run(SCHEDULED)).resolves.toMatchObject({ actions: [{ type: 'notify-ready', seconds: 120 }] });
  });
});

describe('malformed events and payloads: skipped and counted, never fatal', () => {
  it.each([
    ['null', null],
    ['a string', 'garbage'],
    ['a number', 42],
    ['an array', []],
    ['another service\'s event', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change' }],
  ])('an event that is %s: the run is the run of the schedule', async (_label, event) => {
    givenWorld(playedState(2));
    givenConnections('Success', '1');

    await expect(watchdog().run(event)).resolves.toMatchObject({ status: 'probed', probe: { ok: true, players: 1 } });
    expectVisible('WARN', /other than its schedule/, 'UnexpectedEvents');
  });

  it.each([
    ['nothing', ''],
    ['words', 'ss: not found'],
    ['a negative count', '-1'],
    ['two numbers', '1\n2'],
  ])('count-connections printing %s: a probe error', async (_label, stdout) => {
    givenWorld(playedState(11));
    givenConnections('Success', stdout);

    await expect(watchdog().run(SCHEDULED)).resolves.toMatchObject({ probe: { ok: false, error: expect.stringContaining('expected one integer') }, actions: [] });
    expect(scaledTo()).toEqual([]);
    expectProbeErrorVisible();
  });

  it('a zone without the game\'s A record: a probe error that says so', async () => {
    const game: RuntimeGame = { ...GAME, probe: { type: 'query', game: 'minecraft', port: 25565 } };
    givenWorld(playedState(11));
    givenRecords(undefined);

    await expect(watchdog({ game }).run(SCHEDULED)).resolves.toMatchObject({ probe: { ok: false, error: 'mc.example.com has no A or AAAA record' } });
    expectProbeErrorVisible();
  });

  it('a DescribeServices answer without the service: fails the run, naming it', async () => {
    givenWorld(playedState(11));
    mocks.ecs.on(DescribeServicesCommand).resolves({});

    await expect(watchdog().run(SCHEDULED)).rejects.toThrow(/ECS service gm-mc not found/);
    expect(scaledTo()).toEqual([]);
    expectRunFailureVisible();
  });
});

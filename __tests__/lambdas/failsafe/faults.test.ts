/**
 * The failsafe under faults. AWS is a small stateful world (the group's
 * desired capacity follows SetDesiredCapacity), so every test can state the
 * END STATE after Lambda's retry: stopped exactly once or not at all, alerted
 * exactly once, and each failure visible in a log line and a metric.
 */
import '../../support/powertools-env';
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  ago,
  crashA,
  crashB,
  crashC,
  ecsEvent,
  failureRecord,
  groupAt,
  hookFailure,
  INSTANCE,
  mocks,
  newFailsafe,
  resetMocks,
  sdkTask,
  taskArn,
  wakerFailure,
  watchdogFailure,
  watchdogState,
  type TaskSketch,
} from './support';
import { awsError, TRANSIENT_FAULTS } from '../../support/aws-errors';
import { lifecycleEvent } from '../../support/events';
import { capturePowertools } from '../../support/powertools-output';

const output = capturePowertools();

type Call = 'DescribeAutoScalingGroups' | 'SetDesiredCapacity' | 'GetParameter' | 'PutParameter' | 'DescribeInstances' | 'DescribeRule' | 'ListTasks' | 'DescribeTasks' | 'Publish';

/** AWS as the failsafe sees it, with one fault that fires once. */
class World {
  desired = 1;
  instances: { id: string; state: string }[] = [{ id: INSTANCE, state: 'InService' }];
  rule: 'ENABLED' | 'DISABLED' | 'MISSING' = 'ENABLED';
  /** The watchdog state parameter's value; undefined: the parameter does not exist. */
  state: string | undefined = watchdogState({ lastRunAt: ago(0.5).toISOString() });
  launchTime = ago(30);
  stoppedTasks: TaskSketch[] = [];
  /** Successful calls that change something or tell someone. */
  readonly stops: number[] = [];
  readonly published: { subject: string; message: string }[] = [];
  private fault: { call: Call; error: Error } | undefined;

  failOnce(call: Call, error: Error): void {
    this.fault = { call, error };
  }

  private trip(call: Call): void {
    if (this.fault?.call !== call) return;
    const { error } = this.fault;
    this.fault = undefined;
    throw error;
  }

  install(): void {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(() => {
      this.trip('DescribeAutoScalingGroups');
      // Scaled to 0, the instance leaves through its terminate hook.
      return groupAt(this.desired, this.desired === 0 ? this.instances.map((i) => ({ ...i, state: 'Terminating:Wait' })) : this.instances);
    });
    mocks.autoScaling.on(SetDesiredCapacityCommand).callsFake((input: { DesiredCapacity: number }) => {
      this.trip('SetDesiredCapacity');
      this.desired = input.DesiredCapacity;
      this.stops.push(input.DesiredCapacity);
      return {};
    });
    mocks.ssm.on(GetParameterCommand).callsFake(() => {
      this.trip('GetParameter');
      if (this.state === undefined) throw awsError('ParameterNotFound');
      return { Parameter: { Value: this.state } };
    });
    mocks.ssm.on(PutParameterCommand).callsFake((input: { Value: string }) => {
      this.trip('PutParameter');
      this.state = input.Value;
      return { Version: 2 };
    });
    mocks.ec2.on(DescribeInstancesCommand).callsFake(() => {
      this.trip('DescribeInstances');
      return { Reservations: [{ Instances: this.instances.map((i) => ({ InstanceId: i.id, LaunchTime: this.launchTime })) }] };
    });
    mocks.eventBridge.on(DescribeRuleCommand).callsFake(() => {
      this.trip('DescribeRule');
      if (this.rule === 'MISSING') throw awsError('ResourceNotFoundException');
      return { State: this.rule };
    });
    mocks.ecs.on(ListTasksCommand).callsFake(() => {
      this.trip('ListTasks');
      return { taskArns: this.stoppedTasks.map((t) => taskArn(t.id)) };
    });
    mocks.ecs.on(DescribeTasksCommand).callsFake(() => {
      this.trip('DescribeTasks');
      return { tasks: this.stoppedTasks.map(sdkTask) };
    });
    mocks.sns.on(PublishCommand).callsFake((input: { Subject: string; Message: string }) => {
      this.trip('Publish');
      this.published.push({ subject: input.Subject, message: input.Message });
      return { MessageId: `m-${this.published.length}` };
    });
  }
}

let world: World;
let failsafe: (event: unknown) => Promise<void>;

beforeEach(() => {
  resetMocks();
  world = new World();
  world.install();
  failsafe = newFailsafe();
});

/** Runs the event as Lambda does: once, and once more if it threw (the asynchronous retry). */
async function deliverWithRetry(event: unknown): Promise<{ threw: unknown }> {
  let threw: unknown;
  try {
    await failsafe(event);
  } catch (e) {
    threw = e;
    await failsafe(event);
  }
  return { threw };
}

interface Scenario {
  readonly name: string;
  readonly arrange: (w: World) => void;
  readonly event: () => unknown;
  /** The calls the scenario makes, in order. */
  readonly calls: readonly Call[];
  readonly stops: boolean;
  /** Calls that only record the stop in the watchdog state (after the scale-down): their failure costs the record, not the stop or the alert. */
  readonly recordCalls?: readonly Call[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'watchdog silent 4 min',
    arrange: (w) => (w.state = watchdogState({ lastRunAt: ago(4).toISOString() })),
    event: () => watchdogFailure(),
    // The stop is recorded in the state (reason failsafe) after the scale-down.
    calls: ['DescribeAutoScalingGroups', 'GetParameter', 'SetDesiredCapacity', 'PutParameter', 'Publish'],
    stops: true,
    recordCalls: ['PutParameter'],
  },
  {
    name: 'watchdog failing, no state: timed by the launch',
    arrange: (w) => {
      w.state = undefined;
      w.launchTime = ago(10);
    },
    event: () => watchdogFailure(),
    calls: ['DescribeAutoScalingGroups', 'GetParameter', 'DescribeInstances', 'SetDesiredCapacity', 'Publish'],
    stops: true,
  },
  {
    name: 'instance hook failed, watchdog off',
    arrange: (w) => (w.rule = 'DISABLED'),
    event: () => hookFailure('launch'),
    // The stop reads the watchdog state to record itself in it (reason failsafe).
    calls: ['DescribeAutoScalingGroups', 'DescribeRule', 'SetDesiredCapacity', 'GetParameter', 'PutParameter', 'Publish'],
    stops: true,
    recordCalls: ['GetParameter', 'PutParameter'],
  },
  {
    name: 'instance hook failed, watchdog on',
    arrange: (w) => (w.rule = 'ENABLED'),
    event: () => hookFailure('launch'),
    calls: ['DescribeAutoScalingGroups', 'DescribeRule', 'Publish'],
    stops: false,
  },
  {
    name: 'crash loop',
    arrange: (w) => (w.stoppedTasks = [crashA, crashB, crashC]),
    event: () => ecsEvent(crashC),
    calls: ['ListTasks', 'DescribeTasks', 'DescribeAutoScalingGroups', 'SetDesiredCapacity', 'GetParameter', 'PutParameter', 'Publish'],
    stops: true,
    recordCalls: ['GetParameter', 'PutParameter'],
  },
  {
    name: 'waker failed',
    arrange: () => undefined,
    event: () => wakerFailure(),
    calls: ['Publish'],
    stops: false,
  },
];

const CASES = SCENARIOS.flatMap((scenario) =>
  scenario.calls.flatMap((call) => TRANSIENT_FAULTS.map(([fault, error]) => ({ label: `${scenario.name}: ${call} fails with ${fault}`, scenario, call, fault, error }))),
);

describe('transient errors on each AWS call in turn', () => {
  it('every scenario makes exactly the calls listed for it', async () => {
    for (const scenario of SCENARIOS) {
      resetMocks();
      world = new World();
      world.install();
      scenario.arrange(world);
      await newFailsafe()(scenario.event());
      const made = Object.values(mocks)
        .flatMap((m): unknown[] => m.calls().map((c) => c.args[0]))
        .map((command) => (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
      expect({ scenario: scenario.name, calls: [...new Set(made)].sort() }).toEqual({ scenario: scenario.name, calls: [...scenario.calls].sort() });
    }
  });

  it.each(CASES)('$label', async ({ scenario, call, error }) => {
    scenario.arrange(world);
    world.failOnce(call, error());
    const thrownError = error();

    const { threw } = await deliverWithRetry(scenario.event());

    // END STATE: stopped exactly once when the scenario stops (never twice, never lost) ...
    expect(world.stops).toEqual(scenario.stops ? [0] : []);
    expect(world.desired).toBe(scenario.stops ? 0 : 1);
    const publishAfterStop = call === 'Publish' && scenario.stops;
    if (scenario.recordCalls?.includes(call)) {
      // ... the stop and its alert stand without a retry; only the record of why is lost, and logged.
      expect(threw).toBeUndefined();
      expect(world.published).toHaveLength(1);
      expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining('the stop is not recorded in the watchdog state') }));
    } else if (publishAfterStop) {
      // ... the stop stands without a retry; the lost alert is counted and logged.
      expect(threw).toBeUndefined();
      expect(world.published).toEqual([]);
      expect(output.metric('AlertFailures')).toBe(1);
      expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('could not publish the failsafe alert') }));
    } else {
      // ... or Lambda's retry finishes the job: one alert in all.
      expect(threw).toMatchObject({ name: thrownError.name });
      expect(world.published).toHaveLength(1);
      expect(output.metric('FailsafeErrors')).toBe(1);
      expect(output.logs()).toContainEqual(
        expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('could not finish'), error: expect.objectContaining({ name: thrownError.name }) }),
      );
    }
  });
});

describe('the stop records its reason', () => {
  it('a failsafe stop writes stopReason failsafe into the state of the instance it stops', async () => {
    world.state = watchdogState({ lastRunAt: ago(4).toISOString() });

    await failsafe(watchdogFailure());

    expect(world.stops).toEqual([0]);
    expect(JSON.parse(world.state ?? '{}')).toMatchObject({ instanceId: INSTANCE, stopReason: 'failsafe', stopRequestedAt: expect.any(String) });
  });
});

describe('the same event twice', () => {
  it('a watchdog record delivered twice: one stop, one alert, the duplicate logged and counted', async () => {
    world.state = watchdogState({ lastRunAt: ago(4).toISOString() });

    await failsafe(watchdogFailure('w-7'));
    await failsafe(watchdogFailure('w-7'));

    expect(world.stops).toEqual([0]);
    expect(world.published).toHaveLength(1);
    expect(output.metric('DuplicateRecords')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ message: 'failure record w-7 was handled already; skipped' }));
  });

  it('an instance-hook record delivered twice while the watchdog is on: one alert', async () => {
    world.rule = 'ENABLED';

    await failsafe(hookFailure('launch', 'h-7'));
    await failsafe(hookFailure('launch', 'h-7'));

    expect(world.stops).toEqual([]);
    expect(world.published).toHaveLength(1);
    expect(output.metric('DuplicateRecords')).toBe(1);
  });

  it('an instance-hook record delivered twice, the second to a new container: still one stop', async () => {
    world.rule = 'DISABLED';

    await failsafe(hookFailure('launch', 'h-8'));
    await newFailsafe()(hookFailure('launch', 'h-8'));

    // The group is at 0 by then: nothing is stopped again (the second container, which cannot
    // know the first alerted, says again that the hook failed, without "stopped").
    expect(world.stops).toEqual([0]);
    expect(world.published.map((p) => p.subject)).toEqual(['mc.example.com stopped: instance hook failed', 'mc.example.com: instance hook failed']);
  });

  it('a crash event delivered twice counts once', async () => {
    world.stoppedTasks = [crashB, crashC];

    await failsafe(ecsEvent(crashC));
    await failsafe(ecsEvent(crashC));

    expect(world.stops).toEqual([]);
    expect(world.published).toEqual([]);
  });
});

describe('events out of order', () => {
  it("a late record of an old failed minute, after the watchdog recovered: no stop", async () => {
    world.state = watchdogState({ lastRunAt: ago(0.5).toISOString() });

    await failsafe(watchdogFailure('w-old'));

    expect(world.stops).toEqual([]);
    expect(world.published).toEqual([]);
    expect(output.metric('WatchdogFailures')).toBe(1);
  });

  it("a late launch-hook failure of an old instance, while a newer instance is watched: alert only", async () => {
    world.instances = [{ id: 'i-new', state: 'InService' }];
    world.rule = 'ENABLED';

    await failsafe(hookFailure('launch', 'h-old', 'i-old'));

    expect(world.stops).toEqual([]);
    expect(world.published).toHaveLength(1);
    expect(world.published[0]?.message).toContain('the launch of i-old');
    expect(world.published[0]?.message).toContain('The watchdog is on for i-new');
  });

  it('a launch-hook failure arriving after the game stopped: alert that nothing runs, no stop', async () => {
    world.desired = 0;
    world.instances = [];

    await failsafe(hookFailure('launch', 'h-late'));

    expect(world.stops).toEqual([]);
    expect(world.published[0]?.message).toContain('No instance of mc.example.com runs now.');
  });

  it('an older crash arriving last still completes the loop, and the alert describes the newest', async () => {
    world.stoppedTasks = [crashB, crashC, crashA];

    await failsafe(ecsEvent(crashA));

    expect(world.stops).toEqual([0]);
    expect(world.published[0]?.message).toContain('exit code 137');
  });
});

describe('missing or corrupt state', () => {
  it.each([
    ['missing', undefined],
    ["Terraform's placeholder {}", '{}'],
    ['not JSON', '{"instanceId": 42'],
    ['JSON of the wrong shape', JSON.stringify({ instanceId: INSTANCE, launchedAt: 'soon', everJoined: 'yes' })],
  ])('watchdog state %s → timed by the launch (old: stopped), logged and counted', async (_label, raw) => {
    world.state = raw;
    world.launchTime = ago(12);

    await failsafe(watchdogFailure());

    expect(world.stops).toEqual([0]);
    expect(world.published[0]?.message).toMatch(/^watchdog failing for 12 min/);
    expect(output.metric('UnusableWatchdogState')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining('watchdog state /gm/mc/watchdog-state unusable') }));
  });

  it('corrupt state and a recent launch → not stopped yet', async () => {
    world.state = 'garbage';
    world.launchTime = ago(1.5);

    await failsafe(watchdogFailure());

    expect(world.stops).toEqual([]);
  });

  it('the watchdog rule is gone → an instance would run unwatched: stopped', async () => {
    world.rule = 'MISSING';

    await failsafe(hookFailure('launch'));

    expect(world.stops).toEqual([0]);
  });
});

describe('malformed events and payloads', () => {
  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['a success record', { requestContext: { condition: 'Success', functionArn: 'arn:aws:lambda:eu-west-1:1:function:gm-mc-watchdog' } }],
    ['a record with a numeric condition', { requestContext: { condition: 500 } }],
    ['an ECS event of another type', { source: 'aws.ecs', 'detail-type': 'ECS Container Instance State Change', detail: {} }],
    ['an ECS task event without a task ARN', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { group: 'service:gm-mc', stopCode: 'EssentialContainerExited' } }],
    ['an ECS task event whose containers are text', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: { taskArn: 'arn:t', containers: 'game' } }],
  ])('%s → skipped: no AWS call, no throw, logged and counted', async (_label, event) => {
    await expect(failsafe(event)).resolves.toBeUndefined();

    for (const mock of Object.values(mocks)) expect(mock.calls()).toHaveLength(0);
    expect(output.metric('SkippedEvents')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining('skipped an event the failsafe cannot use') }));
  });

  it('an instance-hook record whose payload is unreadable is still handled: the function name says what failed', async () => {
    world.rule = 'DISABLED';

    await failsafe(failureRecord({ functionName: 'gm-mc-instance-hook', requestPayload: 'garbled', requestId: 'h-garbled' }));

    expect(world.stops).toEqual([0]);
    expect(world.published[0]?.message).toContain('while handling an event');
  });

  it('a record with an error payload that is not an error object still alerts', async () => {
    const record = { ...wakerFailure(), responsePayload: 'plain text' };

    await failsafe(record);

    expect(world.published[0]?.message).toContain('failed after 3 attempts: plain text');
  });

  it('a lifecycle event (not a failure record) sent to the failsafe by mistake is skipped', async () => {
    await failsafe(lifecycleEvent({ transition: 'launch', instanceId: INSTANCE }));

    expect(world.stops).toEqual([]);
    expect(output.metric('SkippedEvents')).toBe(1);
  });
});

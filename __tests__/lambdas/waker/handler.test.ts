import './powertools-env';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  type AutoScalingGroup,
  type LifecycleState,
} from '@aws-sdk/client-auto-scaling';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../src/lambdas/waker/handler';
import { WakeDeferredError } from '../../../src/lambdas/waker/retry';
import { logger } from '../../../src/lambdas/waker/telemetry';
import type { WakeTarget } from '../../../src/runtime/contract';
import { MINECRAFT, VALHEIM, logsEvent, queryLine } from './fixtures';

const autoScaling = mockClient(AutoScalingClient);
const sns = mockClient(SNSClient);

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:gm-alerts';
const MC_SRV = queryLine('_minecraft._tcp.mc.example.com', 'SRV');
const VH_A = queryLine('valheim.example.com', 'A');

interface EmittedMetric {
  readonly name: string;
  readonly value: unknown;
  readonly game?: string;
}

let consoleLog: jest.SpyInstance;

/** Reads the EMF documents Powertools printed (it prints to console.log in dev mode). */
function emittedMetrics(): EmittedMetric[] {
  const out: EmittedMetric[] = [];
  for (const [text] of consoleLog.mock.calls as [unknown][]) {
    if (typeof text !== 'string' || !text.includes('"_aws"')) continue;
    const doc = JSON.parse(text) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    for (const directive of doc._aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe('GameManagement');
      const hasGame = directive.Dimensions.some((set) => set.includes('game'));
      for (const { Name } of directive.Metrics) {
        out.push({ name: Name, value: doc[Name], ...(hasGame ? { game: String(doc.game) } : {}) });
      }
    }
  }
  return out;
}

function groupAt(target: WakeTarget, desired: number, ...states: LifecycleState[]): AutoScalingGroup {
  return {
    AutoScalingGroupName: target.asgName,
    DesiredCapacity: desired,
    MinSize: 0,
    MaxSize: 1,
    Instances: states.map((LifecycleState, i) => ({
      InstanceId: `i-0${i}`,
      LifecycleState,
      AvailabilityZone: 'eu-central-1a',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    })),
  } as Partial<AutoScalingGroup> as AutoScalingGroup;
}

function describeReturns(target: WakeTarget, group: AutoScalingGroup | undefined) {
  return autoScaling
    .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [target.asgName] })
    .resolves({ AutoScalingGroups: group ? [group] : [] });
}

const describedGroups = () => autoScaling.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input.AutoScalingGroupNames);
const scaledGroups = () => autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input);
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

beforeEach(() => {
  autoScaling.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  autoScaling.on(SetDesiredCapacityCommand).resolves({});
  process.env.GM_GAMES = JSON.stringify([MINECRAFT, VALHEIM]);
  process.env.GM_GAME_REGION = 'eu-central-1';
  process.env.GM_TOPIC_ARN = TOPIC_ARN;
  consoleLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('waker handler', () => {
  it('wakes a game on the SRV lookup it waits for, and notifies', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));

    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'woken' } });

    expect(describedGroups()).toEqual([['gm-minecraft-asg']]);
    expect(scaledGroups()).toEqual([{ AutoScalingGroupName: 'gm-minecraft-asg', DesiredCapacity: 1, HonorCooldown: false }]);
    expect(published()).toEqual([
      {
        TopicArn: TOPIC_ARN,
        Subject: 'starting mc.example.com',
        Message: expect.stringContaining('SRV query for _minecraft._tcp.mc.example.com'),
      },
    ]);
    expect(published()[0]?.Message).toContain('FRA6');
    expect(emittedMetrics()).toEqual([{ name: 'Wakes', value: 1, game: 'minecraft' }]);
  });

  it('does not wake a game on a query type outside its wakeOn (A for an SRV-only game)', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));

    await expect(handler(logsEvent([queryLine('mc.example.com', 'A'), queryLine('mc.example.com', 'AAAA')]))).resolves.toMatchObject({
      games: {},
    });

    expect(autoScaling.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(emittedMetrics()).toEqual([]);
  });

  it('matches names case-insensitively and with a trailing dot', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));
    describeReturns(VALHEIM, groupAt(VALHEIM, 0));

    await handler(logsEvent([queryLine('_MINECRAFT._tcp.Mc.Example.COM.', 'SRV'), queryLine('VALHEIM.EXAMPLE.COM.', 'AAAA')]));

    expect(scaledGroups().map((i) => i.AutoScalingGroupName).sort()).toEqual(['gm-minecraft-asg', 'gm-valheim-asg']);
  });

  it('makes the Auto Scaling call in the game region and publishes in the topic region', async () => {
    process.env.GM_GAME_REGION = 'ap-southeast-2';
    process.env.GM_TOPIC_ARN = 'arn:aws:sns:ap-southeast-2:123456789012:gm-alerts';
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));

    await handler(logsEvent([MC_SRV]));

    const asgClient = autoScaling.send.getCall(0).thisValue as AutoScalingClient;
    const snsClient = sns.send.getCall(0).thisValue as SNSClient;
    await expect(asgClient.config.region()).resolves.toBe('ap-southeast-2');
    await expect(snsClient.config.region()).resolves.toBe('ap-southeast-2');
    await expect(asgClient.config.maxAttempts()).resolves.toBe(5);
  });

  it('leaves a group already at 1 alone: no scaling call, no notice, no metric', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 1, 'Pending'));

    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'already-up' } });

    expect(describedGroups()).toHaveLength(1);
    expect(scaledGroups()).toEqual([]);
    expect(sns.calls()).toHaveLength(0);
    expect(emittedMetrics()).toEqual([]);
  });

  it.each<LifecycleState>(['Terminating', 'Terminating:Wait', 'Terminating:Proceed', 'InService', 'Standby'])(
    'does not scale while the previous instance is %s at desired 0: counts a deferred wake and rejects so Lambda retries',
    async (state) => {
      const warn = jest.spyOn(logger, 'warn');
      describeReturns(MINECRAFT, groupAt(MINECRAFT, 0, state));

      const attempt = handler(logsEvent([MC_SRV]));

      await expect(attempt).rejects.toBeInstanceOf(WakeDeferredError);
      await expect(attempt).rejects.toMatchObject({ name: 'WakeDeferredError', games: ['minecraft'] });
      await expect(attempt).rejects.toThrow(`wake of minecraft (i-00 ${state}) deferred`);
      await expect(attempt).rejects.toThrow(/Lambda retries this batch/);
      expect(scaledGroups()).toEqual([]);
      expect(sns.calls()).toHaveLength(0);
      expect(emittedMetrics()).toEqual([{ name: 'WakeDeferred', value: 1, game: 'minecraft' }]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('wake deferred'), expect.objectContaining({ game: 'minecraft' }));
    },
  );

  it('defers a game whose host is stopping after waking the rest of the batch, and the retry wakes it with one notice each', async () => {
    autoScaling
      .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [MINECRAFT.asgName] })
      .resolvesOnce({ AutoScalingGroups: [groupAt(MINECRAFT, 0, 'Terminating:Wait')] })
      .resolves({ AutoScalingGroups: [groupAt(MINECRAFT, 0)] });
    autoScaling
      .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [VALHEIM.asgName] })
      .resolvesOnce({ AutoScalingGroups: [groupAt(VALHEIM, 0)] })
      .resolves({ AutoScalingGroups: [groupAt(VALHEIM, 1, 'Pending')] });
    const event = logsEvent([MC_SRV, VH_A]);

    // First attempt: valheim is woken and announced; minecraft waits for its old host, and the batch is handed back.
    const first = handler(event);
    await expect(first).rejects.toBeInstanceOf(WakeDeferredError);
    await expect(first).rejects.toMatchObject({ games: ['minecraft'] });
    expect(scaledGroups().map((i) => i.AutoScalingGroupName)).toEqual(['gm-valheim-asg']);
    expect(published().map((p) => p.Subject)).toEqual(['starting valheim.example.com']);
    expect(emittedMetrics()).toEqual(
      expect.arrayContaining([
        { name: 'WakeDeferred', value: 1, game: 'minecraft' },
        { name: 'Wakes', value: 1, game: 'valheim' },
      ]),
    );

    // Lambda's retry of the same event a minute later: the old host is gone, so minecraft is woken; valheim is already up.
    consoleLog.mockClear();
    await expect(handler(event)).resolves.toMatchObject({ games: { minecraft: 'woken', valheim: 'already-up' } });
    expect(scaledGroups()).toEqual([
      { AutoScalingGroupName: 'gm-valheim-asg', DesiredCapacity: 1, HonorCooldown: false },
      { AutoScalingGroupName: 'gm-minecraft-asg', DesiredCapacity: 1, HonorCooldown: false },
    ]);
    expect(published().map((p) => p.Subject)).toEqual(['starting valheim.example.com', 'starting mc.example.com']);
    expect(emittedMetrics()).toEqual([{ name: 'Wakes', value: 1, game: 'minecraft' }]);
  });

  it('rejects again when the retry still finds the old host stopping, still without scaling', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0, 'Terminating:Proceed'));
    const event = logsEvent([MC_SRV]);

    await expect(handler(event)).rejects.toBeInstanceOf(WakeDeferredError);
    await expect(handler(event)).rejects.toBeInstanceOf(WakeDeferredError);

    expect(describedGroups()).toHaveLength(2);
    expect(scaledGroups()).toEqual([]);
    expect(sns.calls()).toHaveLength(0);
  });

  it('resolves when nothing was deferred (woken, already up and missing games alike)', async () => {
    const third: WakeTarget = { ...VALHEIM, id: 'third', names: ['third.example.com'], asgName: 'gm-third-asg', fqdn: 'third.example.com' };
    process.env.GM_GAMES = JSON.stringify([MINECRAFT, VALHEIM, third]);
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0, 'Terminated'));
    describeReturns(VALHEIM, groupAt(VALHEIM, 1, 'InService'));
    describeReturns(third, undefined);

    await expect(handler(logsEvent([MC_SRV, VH_A, queryLine('third.example.com', 'A')]))).resolves.toMatchObject({
      games: { minecraft: 'woken', valheim: 'already-up', third: 'missing' },
    });
  });

  it('keeps the failure error when one game fails and another is deferred, naming both', async () => {
    autoScaling
      .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [MINECRAFT.asgName] })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    describeReturns(VALHEIM, groupAt(VALHEIM, 0, 'Terminating'));

    const attempt = handler(logsEvent([MC_SRV, VH_A]));

    await expect(attempt).rejects.not.toBeInstanceOf(WakeDeferredError);
    await expect(attempt).rejects.toThrow(/^could not wake minecraft \(ThrottlingException: Rate exceeded\);.*also wakes valheim \(i-00 Terminating\)/);
    expect(scaledGroups()).toEqual([]);
  });

  it('wakes once the old instance is gone (only a Terminated entry left)', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0, 'Terminated'));

    await handler(logsEvent([MC_SRV]));

    expect(scaledGroups()).toHaveLength(1);
  });

  it('logs and counts a missing group without failing the other games', async () => {
    const error = jest.spyOn(logger, 'error');
    describeReturns(MINECRAFT, undefined);
    describeReturns(VALHEIM, groupAt(VALHEIM, 0));

    await expect(handler(logsEvent([MC_SRV, VH_A]))).resolves.toMatchObject({ games: { minecraft: 'missing', valheim: 'woken' } });

    expect(scaledGroups()).toEqual([{ AutoScalingGroupName: 'gm-valheim-asg', DesiredCapacity: 1, HonorCooldown: false }]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/gm-minecraft-asg of game minecraft does not exist in eu-central-1/), expect.anything());
    expect(emittedMetrics()).toEqual(
      expect.arrayContaining([
        { name: 'WakeGroupMissing', value: 1, game: 'minecraft' },
        { name: 'Wakes', value: 1, game: 'valheim' },
      ]),
    );
  });

  it('throws after trying every game when Auto Scaling throttles, and the retried batch wakes the game', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    autoScaling
      .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [MINECRAFT.asgName] })
      .rejectsOnce(throttled)
      .resolves({ AutoScalingGroups: [groupAt(MINECRAFT, 0)] });
    autoScaling
      .on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [VALHEIM.asgName] })
      .resolvesOnce({ AutoScalingGroups: [groupAt(VALHEIM, 0)] })
      .resolves({ AutoScalingGroups: [groupAt(VALHEIM, 1, 'Pending')] });
    const event = logsEvent([MC_SRV, VH_A]);

    // First delivery: minecraft's describe fails after the SDK's retries; valheim is still woken.
    await expect(handler(event)).rejects.toThrow(/could not wake minecraft \(ThrottlingException: Rate exceeded\)/);
    expect(scaledGroups().map((i) => i.AutoScalingGroupName)).toEqual(['gm-valheim-asg']);
    expect(emittedMetrics()).toEqual(
      expect.arrayContaining([
        { name: 'WakeFailures', value: 1, game: 'minecraft' },
        { name: 'Wakes', value: 1, game: 'valheim' },
      ]),
    );

    // Lambda's retry of the same batch: minecraft is woken, valheim (now at 1) is not scaled again.
    await expect(handler(event)).resolves.toMatchObject({ games: { minecraft: 'woken', valheim: 'already-up' } });
    expect(scaledGroups().map((i) => i.AutoScalingGroupName)).toEqual(['gm-valheim-asg', 'gm-minecraft-asg']);
    expect(published().map((p) => p.Subject)).toEqual(['starting valheim.example.com', 'starting mc.example.com']);
  });

  it('throws when the scaling call itself keeps failing, without notifying', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));
    autoScaling
      .on(SetDesiredCapacityCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(handler(logsEvent([MC_SRV]))).rejects.toThrow(/could not wake minecraft/);

    expect(sns.calls()).toHaveLength(0);
    expect(emittedMetrics()).toEqual([{ name: 'WakeFailures', value: 1, game: 'minecraft' }]);
  });

  it('makes one describe and one scaling call per game for 10,000 matching lines', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));
    describeReturns(VALHEIM, groupAt(VALHEIM, 0));
    const lines = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? MC_SRV : VH_A));

    await handler(logsEvent(lines));

    expect(describedGroups().sort()).toEqual([['gm-minecraft-asg'], ['gm-valheim-asg']]);
    expect(scaledGroups()).toHaveLength(2);
    expect(published()).toHaveLength(2);
    expect(published().every((p) => p.Message?.includes('5000 matching queries'))).toBe(true);
  });

  it('describes at most 4 groups at once', async () => {
    const targets = Array.from({ length: 7 }, (_, i) => ({ ...VALHEIM, id: `g${i}`, names: [`g${i}.example.com`], asgName: `gm-g${i}-asg` }));
    process.env.GM_GAMES = JSON.stringify(targets);
    let inFlight = 0;
    let maxInFlight = 0;
    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(async (input: { AutoScalingGroupNames: string[] }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Yield to the event loop so every call the handler allows is started before any returns.
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { AutoScalingGroups: [{ AutoScalingGroupName: input.AutoScalingGroupNames[0], DesiredCapacity: 1, Instances: [] }] };
    });

    await handler(logsEvent(targets.map((t) => queryLine(t.names[0]!, 'A'))));

    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(7);
    expect(maxInFlight).toBe(4);
  });

  it('skips and counts malformed lines, warns once, and still wakes on the good line', async () => {
    const warn = jest.spyOn(logger, 'warn');
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));

    const result = await handler(logsEvent(['garbage', '', '1.0 not-a-time Z1 mc.example.com SRV', MC_SRV]));

    expect(result).toMatchObject({ lines: 4, malformed: 3, games: { minecraft: 'woken' } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ malformed: 3, example: 'garbage' }));
    expect(emittedMetrics()).toEqual(
      expect.arrayContaining([
        { name: 'MalformedLines', value: 3 },
        { name: 'Wakes', value: 1, game: 'minecraft' },
      ]),
    );
  });

  it('does nothing for an empty batch', async () => {
    await expect(handler(logsEvent([]))).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 0, malformed: 0, games: {} });
    expect(autoScaling.calls()).toHaveLength(0);
    expect(emittedMetrics()).toEqual([]);
  });

  it('ignores a control message even if it carried a matching line', async () => {
    await expect(handler(logsEvent([MC_SRV], 'CONTROL_MESSAGE'))).resolves.toMatchObject({ messageType: 'CONTROL_MESSAGE', games: {} });
    expect(autoScaling.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(emittedMetrics()).toEqual([]);
  });

  it('still wakes the game when the notice cannot be published', async () => {
    const error = jest.spyOn(logger, 'error');
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));

    await expect(handler(logsEvent([MC_SRV]))).resolves.toMatchObject({ games: { minecraft: 'woken' } });

    expect(scaledGroups()).toHaveLength(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('could not be published'), expect.objectContaining({ game: 'minecraft' }));
    expect(emittedMetrics()).toEqual([
      { name: 'Wakes', value: 1, game: 'minecraft' },
      { name: 'NotifyFailures', value: 1, game: 'minecraft' },
    ]);
  });

  it('wakes two games of one batch, each counted under its own game dimension', async () => {
    describeReturns(MINECRAFT, groupAt(MINECRAFT, 0));
    describeReturns(VALHEIM, groupAt(VALHEIM, 0));

    await expect(handler(logsEvent([VH_A, MC_SRV, VH_A]))).resolves.toMatchObject({ games: { minecraft: 'woken', valheim: 'woken' } });

    expect(scaledGroups().map((i) => i.AutoScalingGroupName).sort()).toEqual(['gm-minecraft-asg', 'gm-valheim-asg']);
    expect(published().map((p) => p.Subject).sort()).toEqual(['starting mc.example.com', 'starting valheim.example.com']);
    expect(emittedMetrics().sort((a, b) => String(a.game).localeCompare(String(b.game)))).toEqual([
      { name: 'Wakes', value: 1, game: 'minecraft' },
      { name: 'Wakes', value: 1, game: 'valheim' },
    ]);
  });

  it('rejects an event that is not from a subscription filter, naming the cause', async () => {
    await expect(handler({} as never)).rejects.toThrow(/no awslogs\.data/);
  });

  it('names the missing environment variable', async () => {
    delete process.env.GM_GAMES;
    await expect(handler(logsEvent([MC_SRV]))).rejects.toThrow(/GM_GAMES is not set/);
  });
});

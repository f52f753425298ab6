/**
 * The watchdog's handler tests' world: the game, its environment as the
 * constructs write it, every AWS client mocked (aws-sdk-client-mock), a
 * simulated clock (nothing sleeps), and what Powertools printed, parsed.
 * Import './powertools-env' before this file.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, type LifecycleState } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DisableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommandInvocationCommand, GetParameterCommand, PutParameterCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../src/lambdas/watchdog/handler';
import type { WatchdogOutcome } from '../../../src/lambdas/watchdog/flows';
import { gameFunctionEnvironment } from '../../../src/runtime/env';
import type { RuntimeGame } from '../../../src/runtime/game';
import type { Session } from '../../../src/runtime/session';
import { parseWatchdogState, type WatchdogState } from '../../../src/runtime/watchdog-state';

export const mocks = {
  autoScaling: mockClient(AutoScalingClient),
  ssm: mockClient(SSMClient),
  ecs: mockClient(ECSClient),
  eventBridge: mockClient(EventBridgeClient),
  sns: mockClient(SNSClient),
  cloudWatch: mockClient(CloudWatchClient),
  route53: mockClient(Route53Client),
};

export const GAME: RuntimeGame = {
  id: 'mc',
  fqdn: 'mc.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  srvName: '_minecraft._tcp.mc.example.com',
  ipv6: false,
  asgName: 'gm-mc-asg',
  clusterName: 'gm-mc',
  serviceName: 'gm-mc',
  taskFamily: 'gm-mc',
  watchdogRuleName: 'gm-mc-watchdog',
  stateParameterName: '/gm/mc/watchdog-state',
  sessionParameterName: '/gm/mc/session',
  pendingWakeParameterName: '/gm/mc/pending-wake',
  connectionsDocumentName: 'gm-count-connections',
  logGroupName: '/gm/mc',
  ports: [{ port: 25565, protocol: 'tcp' }, { port: 19132, protocol: 'udp' }],
  probe: { type: 'connections' },
  idleMinutes: 10,
  startupMinutes: 15,
  maxHours: 8,
  stopAfterMaxHours: false,
  stopTimeoutSeconds: 110,
  spot: false,
};
export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:gm-alerts';
export const INSTANCE = 'i-0123456789abcdef0';
/** The scheduled event EventBridge sends every minute. */
export const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2025-06-01T18:00:00Z', id: 'e-1' };

/** The run's start; state times are given in minutes before it. */
export const NOW = Date.parse('2025-06-01T18:00:00.000Z');
export const iso = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

export interface SimulatedClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  readonly sleeps: number[];
  /** Runs on every sleep, awaited (e.g. starts a server that answers from 12 s on). */
  onSleep?: (at: number) => Promise<void> | void;
  at: number;
}

export function simulatedClock(start = NOW): SimulatedClock {
  const clock: SimulatedClock = {
    at: start,
    sleeps: [],
    now: () => clock.at,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.at += ms;
      await clock.onSleep?.(clock.at);
    },
  };
  return clock;
}

/** The environment the construct writes for `game` (only the watchdog's fields), plus Lambda's region. */
export function environment(game: RuntimeGame = GAME): NodeJS.ProcessEnv {
  return { ...gameFunctionEnvironment('watchdog', game, TOPIC), AWS_REGION: 'eu-west-1' };
}

export function watchdog(options: { game?: RuntimeGame; clock?: SimulatedClock; env?: NodeJS.ProcessEnv } = {}): {
  run: (event?: unknown) => Promise<WatchdogOutcome>;
  clock: SimulatedClock;
} {
  const clock = options.clock ?? simulatedClock();
  // A fresh env object per handler: functionEnv reads each one once.
  const handler = createHandler({ clock, env: options.env ?? environment(options.game) });
  return { run: handler, clock };
}

export const awsError = (name: string, message = name, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });
export const throttling = () => awsError('ThrottlingException', 'Rate exceeded', { $fault: 'client', $metadata: { httpStatusCode: 400 } });
export const serverError = () => awsError('InternalFailure', 'We encountered an internal error', { $fault: 'server', $metadata: { httpStatusCode: 500 } });
/** What the SDK throws when an attempt outlives its request timeout. */
export const timeout = () => awsError('TimeoutError', 'Connection timed out after 10000 ms');

export function givenGroup(instances: readonly { id: string; state: LifecycleState }[], desiredCapacity = 1): void {
  mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [{
      AutoScalingGroupName: GAME.asgName,
      DesiredCapacity: desiredCapacity,
      MinSize: 0,
      MaxSize: 1,
      AvailabilityZones: ['eu-west-1a'],
      HealthCheckType: 'EC2',
      CreatedTime: new Date('2025-01-01T00:00:00Z'),
      DefaultCooldown: 300,
      Instances: instances.map((i) => ({
        InstanceId: i.id, LifecycleState: i.state, HealthStatus: 'Healthy', AvailabilityZone: 'eu-west-1a', ProtectedFromScaleIn: false,
      })),
    }],
  });
}

export const givenServing = () => givenGroup([{ id: INSTANCE, state: 'InService' }]);

function givenParameter(name: string, value: string | undefined): void {
  const on = mocks.ssm.on(GetParameterCommand, { Name: name });
  if (value === undefined) on.rejects(awsError('ParameterNotFound', `Parameter ${name} not found`));
  else on.resolves({ Parameter: { Name: name, Value: value } });
}

/** The stored watchdog state (an object, raw text, or none at all). */
export function givenState(state: WatchdogState | string | undefined): void {
  givenParameter(GAME.stateParameterName, typeof state === 'object' ? JSON.stringify(state) : state);
}

export function givenSession(session: Session | string | undefined): void {
  givenParameter(GAME.sessionParameterName, typeof session === 'object' ? JSON.stringify(session) : session);
}

/** The game's ECS service has `running` RUNNING tasks. */
export function givenGameTasks(running: number): void {
  mocks.ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: GAME.serviceName, status: 'ACTIVE', desiredCount: 1, runningCount: running, pendingCount: 1 - running }],
    failures: [],
  });
}

/** count-connections.sh answers `stdout` with `status` (and its exit status) on the first poll. */
export function givenConnections(status: 'Success' | 'Failed' | 'TimedOut', stdout: string, stderr = '', exitCode?: number): void {
  mocks.ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
  mocks.ssm.on(GetCommandInvocationCommand).resolves({
    Status: status, ResponseCode: exitCode, StandardOutputContent: stdout, StandardErrorContent: stderr, StatusDetails: status,
  });
}

/** The game's A (and AAAA) records in the hosted zone. */
export function givenRecords(ipv4: string | undefined, ipv6?: string): void {
  mocks.route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      ...(ipv4 ? [{ Name: `${GAME.fqdn}.`, Type: 'A' as const, TTL: 30, ResourceRecords: [{ Value: ipv4 }] }] : []),
      ...(ipv6 ? [{ Name: `${GAME.fqdn}.`, Type: 'AAAA' as const, TTL: 30, ResourceRecords: [{ Value: ipv6 }] }] : []),
      { Name: `_minecraft._tcp.${GAME.fqdn}.`, Type: 'SRV' as const, TTL: 300, ResourceRecords: [{ Value: `0 5 25565 ${GAME.fqdn}` }] },
    ],
    IsTruncated: false,
    MaxItems: 2,
  });
}

/** A game launched `minutes` ago whose state the instance hook wrote at launch; nothing answered yet. */
export function bootingState(minutes: number, overrides: Partial<WatchdogState> = {}): WatchdogState {
  return { instanceId: INSTANCE, launchedAt: iso(minutes), everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false, ...overrides };
}

/** The state of a game launched 40 min ago, ready at 38, with players who left `idleFor` minutes ago. */
export function playedState(idleFor: number, overrides: Partial<WatchdogState> = {}): WatchdogState {
  return {
    instanceId: INSTANCE,
    launchedAt: iso(40),
    readyAt: iso(38),
    lastPlayersAt: iso(idleFor),
    idleSince: iso(idleFor),
    players: 0,
    everJoined: true,
    consecutiveProbeErrors: 0,
    lastRunAt: iso(1),
    maxHoursAlerted: false,
    ...overrides,
  };
}

/** The session a lookup `lookupMinutesAgo` started (the start claimed a second later). */
export function lookupSession(lookupMinutesAgo: number): Session {
  return { startedAt: new Date(NOW - lookupMinutesAgo * 60_000 + 1000).toISOString(), source: 'lookup', lookupAt: iso(lookupMinutesAgo), query: `_minecraft._tcp.${GAME.fqdn} SRV` };
}

/** Every state the run wrote, each checked against the one schema every reader uses. */
export function savedStates(): WatchdogState[] {
  return mocks.ssm.commandCalls(PutParameterCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.Name === GAME.stateParameterName)
    .map((input) => {
      expect(input).toMatchObject({ Type: 'String', Overwrite: true });
      const parsed = parseWatchdogState(input.Value);
      if (!parsed.ok) throw new Error(`the watchdog wrote a state other readers refuse: ${parsed.problem}`);
      return parsed.value;
    });
}

/** The one state the run wrote. */
export function savedState(): WatchdogState {
  const states = savedStates();
  expect(states).toHaveLength(1);
  return states[0]!;
}

export const scaledTo = () => mocks.autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input.DesiredCapacity);
export const published = () => mocks.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
export const disabledRules = () => mocks.eventBridge.commandCalls(DisableRuleCommand).map((c) => c.args[0].input.Name);

// ------------------------------------------------------------ Powertools output

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export interface Metric {
  readonly name: string;
  readonly value: unknown;
  readonly game?: string;
}

let printed: string[] = [];

/** Captures what Powertools prints (instead of printing it); call in beforeEach. */
export function capturePowertools(): void {
  printed = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string') printed.push(args[0]);
    });
  }
}

function printedJson(): Record<string, unknown>[] {
  return printed.flatMap((text) => {
    try {
      return [JSON.parse(text) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export function logLines(): LogLine[] {
  return printedJson().filter((doc) => typeof doc.message === 'string' && typeof doc.level === 'string') as unknown as LogLine[];
}

export function metrics(): Metric[] {
  return printedJson().flatMap((doc) => {
    const aws = doc._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
    if (!aws) return [];
    return aws.CloudWatchMetrics.flatMap((directive) => {
      expect(directive.Namespace).toBe('GameManagement');
      const hasGame = directive.Dimensions.some((set) => set.includes('game'));
      return directive.Metrics.map(({ Name }) => ({ name: Name, value: doc[Name], ...(hasGame ? { game: String(doc.game) } : {}) }));
    });
  });
}

export const metricNames = () => metrics().map((m) => m.name);

export function resetWorld(): void {
  for (const mock of Object.values(mocks)) mock.reset();
  capturePowertools();
  mocks.ssm.on(PutParameterCommand).resolves({ Version: 2 });
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  mocks.autoScaling.on(SetDesiredCapacityCommand).resolves({});
  mocks.eventBridge.on(DisableRuleCommand).resolves({});
  givenGameTasks(1);
  givenSession(undefined);
}

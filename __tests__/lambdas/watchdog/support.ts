/**
 * The watchdog's handler tests' world: the game (support/game.ts), its
 * environment as the constructs write it, every AWS client mocked
 * (aws-sdk-client-mock), a simulated clock (nothing sleeps).
 * Import '../../support/powertools-env' before this file.
 */
import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeContainerInstancesCommand, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCommandInvocationCommand, GetParameterCommand, PutParameterCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { createHandler } from '../../../src/lambdas/watchdog/handler';
import type { WatchdogOutcome } from '../../../src/lambdas/watchdog/flows';
import type { RuntimeGame } from '../../../src/runtime/game';
import type { Session } from '../../../src/runtime/session';
import { parseWatchdogState, type WatchdogState } from '../../../src/runtime/watchdog-state';
import { awsError } from '../../support/aws-errors';
import { groupDescription, mockAwsClients, resetMocks } from '../../support/aws-mocks';
import { testClock, type TestClock } from '../../support/clock';
import { scheduledEvent } from '../../support/events';
import { functionEnvironment, GAME } from '../../support/game';

export { GAME };
export const mocks = mockAwsClients();
export const INSTANCE = 'i-0123456789abcdef0';

/** The run's start; state times are given in minutes before it. */
export const NOW = Date.parse('2025-06-01T18:00:00.000Z');
export const iso = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

/** The scheduled event EventBridge sends every minute. */
export const SCHEDULED = scheduledEvent(new Date(NOW).toISOString());

export function watchdog(options: { game?: RuntimeGame; clock?: TestClock; env?: NodeJS.ProcessEnv } = {}): {
  run: (event?: unknown) => Promise<WatchdogOutcome>;
  clock: TestClock;
} {
  const clock = options.clock ?? testClock(NOW);
  // A fresh env object per handler: functionEnv reads each one once.
  const handler = createHandler({ clock, env: options.env ?? functionEnvironment('watchdog', options.game) });
  return { run: handler, clock };
}

export function givenGroup(instances: readonly { id: string; state: string }[], desiredCapacity = 1): void {
  mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupDescription(GAME.asgName, desiredCapacity, instances));
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

const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/${GAME.clusterName}/0123456789abcdef0123456789abcdef`;
const HOST_ARN = `arn:aws:ecs:eu-west-1:123456789012:container-instance/${GAME.clusterName}/fedcba9876543210fedcba9876543210`;

/** ECS's times of the start on INSTANCE (ISO), as ListTasks, DescribeTasks and DescribeContainerInstances answer them. */
export function givenEcsStartTimes(times: { registeredAt: string; pullStartedAt: string; pullStoppedAt: string; startedAt: string }): void {
  mocks.ecs.on(ListTasksCommand).resolves({ taskArns: [TASK_ARN] });
  mocks.ecs.on(DescribeTasksCommand).resolves({
    tasks: [{
      taskArn: TASK_ARN,
      containerInstanceArn: HOST_ARN,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      createdAt: new Date(Date.parse(times.pullStartedAt) - 1000),
      pullStartedAt: new Date(times.pullStartedAt),
      pullStoppedAt: new Date(times.pullStoppedAt),
      startedAt: new Date(times.startedAt),
    }],
    failures: [],
  });
  mocks.ecs.on(DescribeContainerInstancesCommand).resolves({
    containerInstances: [{ containerInstanceArn: HOST_ARN, ec2InstanceId: INSTANCE, status: 'ACTIVE', agentConnected: true, registeredAt: new Date(times.registeredAt) }],
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

export function resetWorld(): void {
  resetMocks(mocks);
  mocks.ssm.on(PutParameterCommand).resolves({ Version: 2 });
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  mocks.autoScaling.on(SetDesiredCapacityCommand).resolves({});
  mocks.eventBridge.on(DisableRuleCommand).resolves({});
  givenGameTasks(1);
  // No task listed: ECS has no times of the start to give (the time the container was seen running stands in).
  mocks.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  givenSession(undefined);
}

/**
 * The whole control loop, played minute by minute through the real handlers:
 * a DNS lookup wakes the game (waker), the instance hook points DNS at the
 * new instance and starts the game, the watchdog probes a real Minecraft
 * server over the network, sees players come and go, and stops the idle
 * server; the hook drains it and puts DNS back. A lookup during the stop is
 * deferred, and the retried batch wakes the game again.
 *
 * AWS is simulated in memory (fake-aws.ts); time is simulated (only `Date`),
 * so nothing sleeps except the real probe's network round trips. The steps
 * below run in order and share that state: each one continues where the
 * previous left off, and asserts the changes it made (the fake's journal).
 */
import './powertools-env';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { createHandler } from '../../src/lambdas/instance-hook/handler';
import type { HookOutcome } from '../../src/lambdas/instance-hook/flows';
import type { HookMetricName } from '../../src/lambdas/instance-hook/ports';
import { PLACEHOLDER_IPV4, RECORD_TTL_SECONDS, type RuntimeGame, type WakeTarget, type WatchdogState } from '../../src/runtime/contract';
import { handler as wakerHandler } from '../../src/lambdas/waker/handler';
import { encodeLogsPayload } from '../../src/lambdas/waker/logic';
import { WakeDeferredError } from '../../src/lambdas/waker/retry';
import { handler as watchdogHandler } from '../../src/lambdas/watchdog/handler';
import type { WatchdogOutcome } from '../../src/lambdas/watchdog/logic';
import { FakeAws } from './fake-aws';
import { LOCALHOST, startMinecraftServer, type MinecraftServer, type Player } from './minecraft';
import { startSimulatedClock, type SimulatedClock } from './simulated-clock';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:gm-alerts`;
const FQDN = 'mc.example.com';
const SRV_NAME = `_minecraft._tcp.${FQDN}`;
const START = '2025-06-01T18:00:00.000Z';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const FIRST_INSTANCE = 'i-0a000000000000001';
const SECOND_INSTANCE = 'i-0a000000000000002';

function runtimeGame(port: number): RuntimeGame {
  return {
    id: 'mc',
    fqdn: FQDN,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    srvName: SRV_NAME,
    ipv6: false,
    asgName: 'gm-mc-asg',
    clusterName: 'gm-mc',
    serviceName: 'gm-mc',
    taskFamily: 'gm-mc',
    watchdogRuleName: 'gm-mc-watchdog',
    stateParameterName: '/gm/mc/watchdog-state',
    connectionsDocumentName: 'gm-mc-count-connections',
    logGroupName: '/gm/mc/game',
    ports: [{ port, protocol: 'tcp' }],
    probe: { type: 'query', game: 'minecraft', port },
    idleMinutes: 3,
    startupMinutes: 5,
    maxHours: 8,
    stopAfterMaxHours: false,
    stopTimeoutSeconds: 30,
  };
}

function wakeTarget(game: RuntimeGame): WakeTarget {
  return { id: game.id, names: [game.fqdn, SRV_NAME], wakeOn: ['SRV'], asgName: game.asgName, fqdn: game.fqdn };
}

/** The CloudWatch Logs subscription event carrying Route53 query-log lines, as the waker receives it. */
function queryLogBatch(lines: readonly { readonly at: number; readonly name: string; readonly type: string }[]): CloudWatchLogsEvent {
  return {
    awslogs: {
      data: encodeLogsPayload({
        messageType: 'DATA_MESSAGE',
        logEvents: lines.map((l, i) => ({
          id: String(i),
          timestamp: l.at,
          message: `1.0 ${new Date(l.at).toISOString()} Z0123456789ABCDEFGHIJ ${l.name} ${l.type} NOERROR UDP FRA6 198.51.100.7 -`,
        })),
      }),
    },
  };
}

let clock: SimulatedClock;
let minecraft: MinecraftServer;
let game: RuntimeGame;
let aws: FakeAws;
let instanceHook: ReturnType<typeof createHandler>;
const hookMetrics: HookMetricName[] = [];
const players: Player[] = [];
/** Journal length before the current step: each step asserts only what it changed. */
let mark = 0;

/** The journal entries since the previous call. */
function changesOfThisStep(): string[] {
  const changes = aws.journalSince(mark);
  mark = aws.journal.length;
  return changes;
}

/** EventBridge delivers the lifecycle events Auto Scaling emitted to the instance hook, one by one. */
async function deliverLifecycleEvent(): Promise<HookOutcome> {
  const events = aws.takeLifecycleEvents();
  expect(events).toHaveLength(1);
  return instanceHook(events[0]);
}

/** The watchdog rule fires (only while it is enabled, as EventBridge does). */
async function watchdogMinute(minute: number, offsetMs = 0): Promise<WatchdogOutcome> {
  clock.at(minute * MINUTE + offsetMs);
  expect(aws.rules.get(game.watchdogRuleName)).toBe('ENABLED');
  return watchdogHandler({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
}

function storedState(): WatchdogState & Record<string, unknown> {
  return JSON.parse(aws.parameters.get(game.stateParameterName) ?? 'null') as WatchdogState & Record<string, unknown>;
}

const DNS_RECORD_A = () => aws.record(FQDN, 'A');
const DNS_RECORD_SRV = () => aws.record(SRV_NAME, 'SRV');

/** Looked up two seconds before the waker runs at START (query logs reach it after a short delay). */
const FIRST_LOOKUP_AT = '2025-06-01T17:59:58.000Z';
const firstLookup = queryLogBatch([{ at: Date.parse(FIRST_LOOKUP_AT), name: SRV_NAME, type: 'SRV' }]);
const lookupDuringStop = queryLogBatch([{ at: Date.parse(START) + 8 * MINUTE + 5 * SECOND, name: `${SRV_NAME}.`, type: 'SRV' }]);

beforeAll(async () => {
  minecraft = await startMinecraftServer();
  clock = startSimulatedClock(START);
  game = runtimeGame(minecraft.port);
  aws = new FakeAws({
    region: REGION,
    account: ACCOUNT,
    now: clock.now,
    group: { name: game.asgName, launchHookName: 'gm-mc-launch', terminateHookName: 'gm-mc-terminate' },
    instanceIpv4: LOCALHOST,
    service: {
      cluster: game.clusterName,
      name: game.serviceName,
      taskFamily: game.taskFamily,
      // Revision 3 is the newest ACTIVE one (a deploy registered it); 4 was deregistered.
      revisions: [
        { revision: 1, status: 'INACTIVE' },
        { revision: 2, status: 'ACTIVE' },
        { revision: 3, status: 'ACTIVE' },
        { revision: 4, status: 'INACTIVE' },
      ],
      initialRevision: 2,
    },
    hostedZoneId: game.hostedZoneId,
    records: [
      { name: FQDN, type: 'A', ttl: RECORD_TTL_SECONDS, values: [PLACEHOLDER_IPV4] },
      { name: SRV_NAME, type: 'SRV', ttl: 300, values: [`0 5 ${minecraft.port} ${FQDN}`] },
    ],
    // As deployed: the parameter holds '{}', the rule is off until an instance launches.
    parameters: { [game.stateParameterName]: '{}' },
    rules: { [game.watchdogRuleName]: 'DISABLED' },
    topicArns: [TOPIC_ARN],
  });

  process.env.GM_GAMES = JSON.stringify([wakeTarget(game)]);
  process.env.GM_GAME_REGION = REGION;
  process.env.GM_TOPIC_ARN = TOPIC_ARN;
  process.env.GM_GAME = JSON.stringify(game);
  process.env.AWS_REGION = REGION;
  instanceHook = createHandler({
    env: { GM_GAME: JSON.stringify(game), GM_TOPIC_ARN: TOPIC_ARN },
    clock: clock.hookClock,
    metrics: { count: (name) => hookMetrics.push(name), flush: () => undefined },
  });
});

afterAll(async () => {
  clock?.stop();
  aws?.restore();
  await minecraft?.close();
});

describe('an evening of play through the real handlers against a simulated AWS and a real Minecraft server', () => {
  it('the SRV lookup wakes the game: the group goes to 1, an instance launches and "starting" is published', async () => {
    clock.at(0);
    await expect(wakerHandler(firstLookup)).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 1, malformed: 0, games: { mc: 'woken' } });

    expect(changesOfThisStep()).toEqual(['asg desired 0 -> 1', `asg launch ${FIRST_INSTANCE} (Pending:Wait)`, `sns starting ${FQDN}`]);
    expect(aws.desiredCapacity).toBe(1);
    expect(aws.instanceStates()).toEqual({ [FIRST_INSTANCE]: 'Pending:Wait' });
    expect(aws.published).toEqual([
      {
        topicArn: TOPIC_ARN,
        subject: `starting ${FQDN}`,
        message: expect.stringMatching(new RegExp(`^Starting ${FQDN}: a SRV query for ${SRV_NAME} at ${FIRST_LOOKUP_AT} through edge location FRA6`)),
      },
    ]);
  });

  it('the launch event: the watchdog rule is enabled, the newest task definition runs, DNS points at the instance, the action completes', async () => {
    clock.at(20 * SECOND);
    await expect(deliverLifecycleEvent()).resolves.toEqual({ kind: 'launch', instanceId: FIRST_INSTANCE, dns: 'updated', lifecycle: 'completed' });

    expect(changesOfThisStep()).toEqual([
      `events ${game.watchdogRuleName} ENABLED`,
      `ssm put ${game.stateParameterName}`,
      'ecs service on gm-mc:3',
      'ecs desired 0 -> 1',
      'ecs task1 RUNNING (gm-mc:3)',
      `route53 UPSERT ${FQDN} A ${LOCALHOST}`,
      `asg ${FIRST_INSTANCE} Pending:Wait -> InService`,
    ]);
    expect(DNS_RECORD_A()).toEqual({ ttl: RECORD_TTL_SECONDS, values: [LOCALHOST] });
    expect(aws.rules.get(game.watchdogRuleName)).toBe('ENABLED');
    expect(aws.serviceTaskDefinitionArn).toBe(aws.taskDefinitionArn(3));
    expect({ desired: aws.serviceDesiredCount, running: aws.runningCount }).toEqual({ desired: 1, running: 1 });
    expect(aws.instanceStates()).toEqual({ [FIRST_INSTANCE]: 'InService' });
    // The launch starts the watchdog's memory afresh for this instance, from the launch event's time.
    expect(storedState()).toEqual({ instanceId: FIRST_INSTANCE, launchedAt: START, everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false });
    expect(hookMetrics).toEqual(['InstanceLaunched']);
  });

  it('watchdog minute 1: the real server answers the probe with 0 players and "ready" is published', async () => {
    await expect(watchdogMinute(1)).resolves.toEqual({
      status: 'probed',
      instanceId: FIRST_INSTANCE,
      probe: { ok: true, players: 0, latencyMs: expect.any(Number) },
      actions: [{ type: 'notify-ready', seconds: 60 }],
    });

    expect(changesOfThisStep()).toEqual([`sns ready ${FQDN} in 60 s`, `ssm put ${game.stateParameterName}`]);
    expect(aws.published.at(-1)).toEqual({
      topicArn: TOPIC_ARN,
      subject: `ready ${FQDN} in 60 s`,
      // The SRV record carries the port: players type the name alone.
      message: `${FQDN} is ready, 60 s after the wake-up. Connect to ${FQDN}.`,
    });
    expect(storedState()).toMatchObject({ instanceId: FIRST_INSTANCE, readyAt: '2025-06-01T18:01:00.000Z', everJoined: false });
  });

  it('two players join; watchdog minutes 2 to 5 count them and keep the server up past idleMinutes since ready', async () => {
    players.push(await minecraft.join('alice'), await minecraft.join('bob'));
    expect(minecraft.server.playerCount).toBe(2);

    for (const minute of [2, 3, 4, 5]) {
      await expect(watchdogMinute(minute)).resolves.toEqual({
        status: 'probed',
        instanceId: FIRST_INSTANCE,
        probe: { ok: true, players: 2, latencyMs: expect.any(Number) },
        actions: [],
      });
    }
    expect(changesOfThisStep()).toEqual(Array.from({ length: 4 }, () => `ssm put ${game.stateParameterName}`));
    expect(aws.desiredCapacity).toBe(1);
    expect(storedState()).toMatchObject({ everJoined: true, lastPlayersAt: '2025-06-01T18:05:00.000Z' });
  });

  it('the players leave; minutes 6 and 7 see 0 players and wait, minute 8 (idleMinutes 3 later) scales the group to 0', async () => {
    await Promise.all(players.splice(0).map((p) => minecraft.leave(p)));
    expect(minecraft.server.playerCount).toBe(0);

    for (const minute of [6, 7]) {
      await expect(watchdogMinute(minute)).resolves.toMatchObject({ status: 'probed', probe: { ok: true, players: 0 }, actions: [] });
    }
    expect(changesOfThisStep()).toEqual([`ssm put ${game.stateParameterName}`, `ssm put ${game.stateParameterName}`]);
    expect(aws.desiredCapacity).toBe(1);

    await expect(watchdogMinute(8)).resolves.toEqual({
      status: 'probed',
      instanceId: FIRST_INSTANCE,
      probe: { ok: true, players: 0, latencyMs: expect.any(Number) },
      actions: [{ type: 'stop', reason: 'idle', minutes: 3 }],
    });
    expect(changesOfThisStep()).toEqual([
      'asg desired 1 -> 0',
      `asg ${FIRST_INSTANCE} InService -> Terminating:Wait`,
      `sns stopping ${FQDN}: idle 3 min`,
      `ssm put ${game.stateParameterName}`,
    ]);
    expect(aws.published.at(-1)).toEqual({
      topicArn: TOPIC_ARN,
      subject: `stopping ${FQDN}: idle 3 min`,
      message: `Stopping ${FQDN}: idle 3 min. A DNS lookup of ${FQDN} starts it again.`,
    });
    expect(storedState()).toMatchObject({ stopReason: 'idle', stopRequestedAt: '2025-06-01T18:08:00.000Z' });
  });

  it('a lookup while the instance is Terminating:Wait is deferred: the waker rejects and does not scale', async () => {
    clock.at(8 * MINUTE + 10 * SECOND);
    const attempt = wakerHandler(lookupDuringStop);

    await expect(attempt).rejects.toBeInstanceOf(WakeDeferredError);
    await expect(attempt).rejects.toMatchObject({ name: 'WakeDeferredError', games: ['mc'], message: expect.stringContaining(`mc (${FIRST_INSTANCE} Terminating:Wait)`) });
    expect(changesOfThisStep()).toEqual([]);
    expect(aws.desiredCapacity).toBe(0);
    expect(aws.instanceStates()).toEqual({ [FIRST_INSTANCE]: 'Terminating:Wait' });
  });

  it('the terminate event: the game drains, DNS goes back to the placeholder, the rule is disabled, the action completes, "stopped … after …" is published', async () => {
    clock.at(8 * MINUTE + 20 * SECOND);
    await expect(deliverLifecycleEvent()).resolves.toEqual({
      kind: 'terminate',
      instanceId: FIRST_INSTANCE,
      dns: 'placeholder',
      lifecycle: 'completed',
      notified: true,
    });

    expect(changesOfThisStep()).toEqual([
      'ecs desired 1 -> 0',
      'ecs task1 STOPPED',
      `route53 UPSERT ${FQDN} A ${PLACEHOLDER_IPV4}`,
      `events ${game.watchdogRuleName} DISABLED`,
      `asg ${FIRST_INSTANCE} Terminating:Wait -> Terminated`,
      `sns ${FQDN} stopped`,
    ]);
    expect(DNS_RECORD_A()).toEqual({ ttl: RECORD_TTL_SECONDS, values: [PLACEHOLDER_IPV4] });
    expect({ desired: aws.serviceDesiredCount, running: aws.runningCount }).toEqual({ desired: 0, running: 0 });
    expect(aws.rules.get(game.watchdogRuleName)).toBe('DISABLED');
    expect(aws.instanceStates()).toEqual({});
    // Up from the launch (18:00:00) to the stop (18:08:20).
    expect(aws.published.at(-1)).toEqual({ topicArn: TOPIC_ARN, subject: `${FQDN} stopped`, message: `stopped ${FQDN} after 8 min` });
    expect(hookMetrics).toEqual(['InstanceLaunched', 'InstanceStopped']);
  });

  it('the same batch retried once the old instance is gone wakes the game again', async () => {
    clock.at(9 * MINUTE + 10 * SECOND);
    await expect(wakerHandler(lookupDuringStop)).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 1, malformed: 0, games: { mc: 'woken' } });

    expect(changesOfThisStep()).toEqual(['asg desired 0 -> 1', `asg launch ${SECOND_INSTANCE} (Pending:Wait)`, `sns starting ${FQDN}`]);
    expect(aws.instanceStates()).toEqual({ [SECOND_INSTANCE]: 'Pending:Wait' });
  });

  it('the new instance is launched and watched afresh: DNS, rule and a new state, then "ready" again', async () => {
    clock.at(9 * MINUTE + 30 * SECOND);
    await expect(deliverLifecycleEvent()).resolves.toEqual({ kind: 'launch', instanceId: SECOND_INSTANCE, dns: 'updated', lifecycle: 'completed' });
    expect(changesOfThisStep()).toEqual([
      `events ${game.watchdogRuleName} ENABLED`,
      `ssm put ${game.stateParameterName}`,
      'ecs desired 0 -> 1',
      'ecs task2 RUNNING (gm-mc:3)',
      `route53 UPSERT ${FQDN} A ${LOCALHOST}`,
      `asg ${SECOND_INSTANCE} Pending:Wait -> InService`,
    ]);
    // The old instance's stop decision is not carried over to the new one.
    expect(storedState()).toEqual({
      instanceId: SECOND_INSTANCE,
      launchedAt: '2025-06-01T18:09:10.000Z',
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
    });

    await expect(watchdogMinute(10, 10 * SECOND)).resolves.toMatchObject({
      status: 'probed',
      instanceId: SECOND_INSTANCE,
      actions: [{ type: 'notify-ready', seconds: 60 }],
    });
    expect(changesOfThisStep()).toEqual([`sns ready ${FQDN} in 60 s`, `ssm put ${game.stateParameterName}`]);
  });

  it('over the whole evening: the notices in order, and the SRV record never touched', () => {
    expect(aws.published.map((m) => m.subject)).toEqual([
      `starting ${FQDN}`,
      `ready ${FQDN} in 60 s`,
      `stopping ${FQDN}: idle 3 min`,
      `${FQDN} stopped`,
      `starting ${FQDN}`,
      `ready ${FQDN} in 60 s`,
    ]);
    expect(DNS_RECORD_SRV()).toEqual({ ttl: 300, values: [`0 5 ${minecraft.port} ${FQDN}`] });
    expect(aws.journal.filter((entry) => entry.startsWith('asg desired'))).toEqual(['asg desired 0 -> 1', 'asg desired 1 -> 0', 'asg desired 0 -> 1']);
  });
});

/**
 * The whole control loop, played minute by minute through the real handlers:
 * a DNS lookup wakes the game (waker), the instance hook points DNS at the
 * new instance and starts the game, the watchdog probes a real Minecraft
 * server over the network, sees players come and go, and stops the idle
 * server; the hook drains it and puts DNS back. A lookup during the stop is
 * recorded (no throw, no retry), and the end of the stop starts the game
 * again by itself.
 *
 * AWS is simulated in memory (fake-aws/); time is simulated (only `Date`),
 * so nothing sleeps except the real probe's network round trips. The steps
 * below run in order and share that state: each one continues where the
 * previous left off, and asserts the changes it made (the fake's journal).
 */
import '../support/powertools-env-silent';
import type { HookOutcome } from '../../src/lambdas/instance-hook/flows';
import type { WatchdogOutcome } from '../../src/lambdas/watchdog/flows';
import { PLACEHOLDER_IPV4, RECORD_TTL_SECONDS } from '../../src/runtime/dns';
import type { WatchdogState } from '../../src/runtime/watchdog-state';
import type { FakeAws } from './fake-aws';
import { deployedAws, loopFunctions, loopGame, queryLogEvent, SCHEDULED_EVENT, TOPIC_ARN, type LoopFunctions } from './harness';
import { LOCALHOST, startMinecraftServer, type MinecraftServer, type Player } from '../support/minecraft';
import { installSimClock, type SimClock } from './sim-clock';

const START = '2025-06-01T18:00:00.000Z';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const FIRST_INSTANCE = 'i-0a000000000000001';
const SECOND_INSTANCE = 'i-0a000000000000002';
const FQDN = 'mc.example.com';
const SRV_NAME = `_minecraft._tcp.${FQDN}`;
const RULE = 'gm-mc-watchdog-schedule';
const STATE = '/gm/mc/watchdog-state';
const SESSION = '/gm/mc/session';
const PENDING_WAKE = '/gm/mc/pending-wake';

let sim: SimClock;
let minecraft: MinecraftServer;
let aws: FakeAws;
let fns: LoopFunctions;
const players: Player[] = [];
/** Journal length before the current step: each step asserts only what it changed. */
let mark = 0;

/** The journal entries since the previous call. */
function changesOfThisStep(): string[] {
  const changes = aws.journalSince(mark);
  mark = aws.journal.length;
  return changes;
}

/** EventBridge delivers the one lifecycle event Auto Scaling emitted to the instance hook. */
async function deliverLifecycleEvent(): Promise<HookOutcome> {
  const events = aws.takeLifecycleEvents();
  expect(events).toHaveLength(1);
  return fns.hook('mc')(events[0]);
}

/** The watchdog rule fires (only while it is enabled, as EventBridge does). */
async function watchdogMinute(minute: number, offsetMs = 0): Promise<WatchdogOutcome> {
  sim.at(minute * MINUTE + offsetMs);
  expect(aws.rules.get(RULE)).toBe('ENABLED');
  return fns.watchdog('mc')(SCHEDULED_EVENT);
}

function storedState(): WatchdogState & Record<string, unknown> {
  return JSON.parse(aws.parameter(STATE) ?? 'null') as WatchdogState & Record<string, unknown>;
}

/** Looked up two seconds before the waker runs at START (query logs reach it after a short delay). */
/** The journal of a start: the session claimed, the group raised, an instance launched with its ECS agent, "starting" announced. */
function startEntries(instance: string, containerInstance: string): string[] {
  return [
    `ssm put ${SESSION}`,
    'asg gm-mc desired 0 -> 1',
    `asg gm-mc launch ${instance} (on-demand)`,
    `asg ${instance} Pending -> Pending:Wait`,
    `ec2 ${instance} running`,
    `ecs container instance ${containerInstance} registered on ${instance}`,
    `sns starting ${FQDN}`,
  ];
}

const FIRST_LOOKUP_AT = '2025-06-01T17:59:58.000Z';
const firstLookup = () => queryLogEvent([{ at: Date.parse(FIRST_LOOKUP_AT), name: SRV_NAME, type: 'SRV' }]);
const LOOKUP_DURING_STOP_AT = Date.parse(START) + 8 * MINUTE + 5 * SECOND;
const lookupDuringStop = () => queryLogEvent([{ at: LOOKUP_DURING_STOP_AT, name: `${SRV_NAME}.`, type: 'SRV' }]);

beforeAll(async () => {
  minecraft = await startMinecraftServer();
  sim = installSimClock(START);
  const mc = loopGame({ id: 'mc', fqdn: FQDN, port: minecraft.port, probe: { type: 'query', game: 'minecraft', port: minecraft.port }, idleMinutes: 3, startupMinutes: 5, stopTimeoutSeconds: 30 });
  aws = deployedAws([mc], {
    now: sim.now,
    instanceIpv4: LOCALHOST,
    // Revision 3 is the newest ACTIVE one (a deploy registered it); 4 was deregistered.
    revisions: [
      { revision: 1, status: 'INACTIVE' },
      { revision: 2, status: 'ACTIVE' },
      { revision: 3, status: 'ACTIVE' },
      { revision: 4, status: 'INACTIVE' },
    ],
    initialRevision: 2,
    // The game takes 10 s to save when it is stopped.
    timing: { taskStopSeconds: 10 },
  });
  fns = loopFunctions([mc], sim.clock);
});

afterAll(async () => {
  sim?.uninstall();
  aws?.restore();
  await minecraft?.close();
});

describe('an evening of play through the real handlers against a simulated AWS and a real Minecraft server', () => {
  it('the SRV lookup claims the session and wakes the game: the group goes to 1, an instance launches and "starting" is published', async () => {
    sim.at(0);
    await expect(fns.waker(firstLookup())).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 1, malformed: 0, games: { mc: 'started' } });

    expect(changesOfThisStep()).toEqual([
      ...startEntries(FIRST_INSTANCE, 'ci1'),
    ]);
    expect(JSON.parse(aws.parameter(SESSION) ?? '{}')).toEqual({
      startedAt: START,
      source: 'lookup',
      lookupAt: FIRST_LOOKUP_AT,
      query: `${SRV_NAME} SRV`,
    });
    expect(aws.published).toEqual([
      {
        at: START,
        topicArn: TOPIC_ARN,
        subject: `starting ${FQDN}`,
        message: expect.stringMatching(new RegExp(`^Starting ${FQDN}: a SRV query for ${SRV_NAME} at ${FIRST_LOOKUP_AT} through edge location FRA6`)),
      },
    ]);
  });

  it('the launch event: the watchdog rule is enabled, the newest task definition runs on the instance, DNS points at it, the action completes', async () => {
    sim.at(20 * SECOND);
    await expect(deliverLifecycleEvent()).resolves.toEqual({ kind: 'launch', instanceId: FIRST_INSTANCE, started: true, dns: 'updated', lifecycle: 'completed' });

    expect(changesOfThisStep()).toEqual([
      `events ${RULE} ENABLED`,
      `ssm put ${STATE}`,
      'ecs gm-mc on gm-mc:3',
      'ecs gm-mc desired 0 -> 1',
      `ecs task1 PENDING on ${FIRST_INSTANCE} (gm-mc:3)`,
      'ecs task1 RUNNING',
      `route53 UPSERT ${FQDN} A ${LOCALHOST}`,
      `asg ${FIRST_INSTANCE} Pending:Wait -> InService`,
      // When the instance ran, recorded after the action (off the start's path).
      `ssm put ${STATE}`,
    ]);
    expect(aws.record(FQDN, 'A')).toEqual({ ttl: RECORD_TTL_SECONDS, values: [LOCALHOST] });
    expect(aws.service().taskDefinitionArn).toBe(aws.taskDefinitionArn(3));
    expect(aws.runningTasks().map((t) => t.ec2InstanceId)).toEqual([FIRST_INSTANCE]);
    expect(aws.instanceStates()).toEqual({ [FIRST_INSTANCE]: 'InService' });
    // The launch starts the watchdog's memory afresh for this instance, from the launch event's time.
    expect(storedState()).toMatchObject({ instanceId: FIRST_INSTANCE, launchedAt: START, everJoined: false, consecutiveProbeErrors: 0 });
  });

  it('watchdog minute 1: the real server answers the probe with 0 players and "ready" is published, counted from the lookup', async () => {
    await expect(watchdogMinute(1)).resolves.toEqual({
      status: 'probed',
      instanceId: FIRST_INSTANCE,
      probe: { ok: true, players: 0, latencyMs: expect.any(Number) },
      // Lookup 17:59:58 → agent registered at the launch (18:00:00); no pull time; container running 18:00:20 → ready 18:01:00.
      actions: [{ type: 'notify-ready', seconds: 62, from: 'lookup', phases: { instance: 2, image: 0, game: 40 } }],
    });

    expect(changesOfThisStep()).toEqual([`ssm put ${STATE}`, `sns ready ${FQDN} in 62 s`]);
    expect(aws.published.at(-1)).toMatchObject({
      subject: `ready ${FQDN} in 62 s`,
      // The SRV record carries the port: players type the name alone.
      message: `${FQDN} is ready 62 s after your lookup (instance 2 s, image 0 s, game 40 s). Connect to ${FQDN}.`,
    });
    expect(storedState()).toMatchObject({ instanceId: FIRST_INSTANCE, readyAt: '2025-06-01T18:01:00.000Z', everJoined: false, players: 0 });
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
    expect(changesOfThisStep()).toEqual(Array.from({ length: 4 }, () => `ssm put ${STATE}`));
    expect(aws.group().desiredCapacity).toBe(1);
    expect(storedState()).toMatchObject({ everJoined: true, players: 2, lastPlayersAt: '2025-06-01T18:05:00.000Z' });
  });

  it('the players leave; minutes 6 and 7 see 0 players and wait, minute 8 (idleMinutes 3 later) scales the group to 0', async () => {
    await Promise.all(players.splice(0).map((p) => minecraft.leave(p)));
    expect(minecraft.server.playerCount).toBe(0);

    for (const minute of [6, 7]) {
      await expect(watchdogMinute(minute)).resolves.toMatchObject({ status: 'probed', probe: { ok: true, players: 0 }, actions: [] });
    }
    expect(changesOfThisStep()).toEqual([`ssm put ${STATE}`, `ssm put ${STATE}`]);
    expect(aws.group().desiredCapacity).toBe(1);

    await expect(watchdogMinute(8)).resolves.toEqual({
      status: 'probed',
      instanceId: FIRST_INSTANCE,
      probe: { ok: true, players: 0, latencyMs: expect.any(Number) },
      actions: [{ type: 'stop', reason: 'idle', minutes: 3 }],
    });
    expect(changesOfThisStep()).toEqual([
      'asg gm-mc desired 1 -> 0',
      `asg ${FIRST_INSTANCE} InService -> Terminating`,
      `asg ${FIRST_INSTANCE} Terminating -> Terminating:Wait`,
      `ssm put ${STATE}`,
      `sns stopping ${FQDN}: idle 3 min`,
    ]);
    expect(aws.published.at(-1)).toMatchObject({
      subject: `stopping ${FQDN}: idle 3 min`,
      message: `Stopping ${FQDN}: idle 3 min. A DNS lookup of ${FQDN} starts it again.`,
    });
    expect(storedState()).toMatchObject({ stopReason: 'idle', stopRequestedAt: '2025-06-01T18:08:00.000Z' });
  });

  it('a lookup while the instance is Terminating:Wait is recorded as a pending wake: no throw, no scaling, nothing announced', async () => {
    sim.at(8 * MINUTE + 10 * SECOND);
    await expect(fns.waker(lookupDuringStop())).resolves.toEqual({ messageType: 'DATA_MESSAGE', lines: 1, malformed: 0, games: { mc: 'deferred' } });

    expect(changesOfThisStep()).toEqual([`ssm put ${PENDING_WAKE}`]);
    expect(JSON.parse(aws.parameter(PENDING_WAKE) ?? '{}')).toEqual({
      recordedAt: '2025-06-01T18:08:10.000Z',
      source: 'lookup',
      lookupAt: new Date(LOOKUP_DURING_STOP_AT).toISOString(),
      query: `${SRV_NAME} SRV`,
    });
    expect(aws.group().desiredCapacity).toBe(0);
    expect(aws.instanceStates()).toEqual({ [FIRST_INSTANCE]: 'Terminating:Wait' });
  });

  it('the terminate event: the game saves, DNS goes back to the placeholder, the rule is disabled, "stopped" is published, and the end of the stop starts the game again', async () => {
    sim.at(8 * MINUTE + 20 * SECOND);
    await expect(deliverLifecycleEvent()).resolves.toEqual({
      kind: 'terminate',
      instanceId: FIRST_INSTANCE,
      role: 'stop',
      dns: 'placeholder',
      lifecycle: 'completed',
      notified: true,
      restarted: true,
    });

    expect(changesOfThisStep()).toEqual([
      'ecs gm-mc desired 1 -> 0',
      'ecs task1 stopping (ServiceSchedulerInitiated)',
      `ecs container instance on ${FIRST_INSTANCE} DRAINING`,
      // The game took its 10 s to save; the hook waited for it before going on.
      'ecs task1 STOPPED',
      `route53 UPSERT ${FQDN} A ${PLACEHOLDER_IPV4}`,
      `events ${RULE} DISABLED`,
      `asg ${FIRST_INSTANCE} Terminating:Wait -> Terminated`,
      `ec2 ${FIRST_INSTANCE} terminated`,
      `ecs container instance on ${FIRST_INSTANCE} deregistered`,
      // The stop's times: drain started, container exited, action completed.
      `ssm put ${STATE}`,
      `sns ${FQDN} stopped`,
      `ssm put ${SESSION}`,
      `ssm delete ${SESSION}`,
      `ssm delete ${PENDING_WAKE}`,
      ...startEntries(SECOND_INSTANCE, 'ci2'),
    ]);
    const task1 = aws.tasks().find((t) => t.shortId === 'task1');
    expect(task1).toMatchObject({ lastStatus: 'STOPPED', saved: true, exitCode: 0 });
    expect(aws.record(FQDN, 'A')).toEqual({ ttl: RECORD_TTL_SECONDS, values: [PLACEHOLDER_IPV4] });
    // Up from the launch (18:00:00) to the end of the save (18:08:30 and a poll).
    expect(aws.published.at(-2)).toMatchObject({ subject: `${FQDN} stopped`, message: `stopped ${FQDN} after 9 min` });
    expect(aws.published.at(-1)).toMatchObject({
      subject: `starting ${FQDN}`,
      message: expect.stringContaining(`a lookup (${SRV_NAME} SRV) at ${new Date(LOOKUP_DURING_STOP_AT).toISOString()} asked for it while it was stopping`),
    });
    expect(aws.parameter(PENDING_WAKE)).toBeUndefined();
    expect(JSON.parse(aws.parameter(SESSION) ?? '{}')).toMatchObject({ source: 'pending-wake', lookupAt: new Date(LOOKUP_DURING_STOP_AT).toISOString() });
    expect(aws.instanceStates()).toEqual({ [SECOND_INSTANCE]: 'Pending:Wait' });
  });

  it('the new instance is launched and watched afresh: DNS, rule and a new state, then "ready" again', async () => {
    sim.at(9 * MINUTE);
    await expect(deliverLifecycleEvent()).resolves.toEqual({ kind: 'launch', instanceId: SECOND_INSTANCE, started: true, dns: 'updated', lifecycle: 'completed' });
    expect(changesOfThisStep()).toEqual([
      `events ${RULE} ENABLED`,
      `ssm put ${STATE}`,
      'ecs gm-mc desired 0 -> 1',
      `ecs task2 PENDING on ${SECOND_INSTANCE} (gm-mc:3)`,
      'ecs task2 RUNNING',
      `route53 UPSERT ${FQDN} A ${LOCALHOST}`,
      `asg ${SECOND_INSTANCE} Pending:Wait -> InService`,
      `ssm put ${STATE}`,
    ]);
    // The old instance's stop decision is not carried over to the new one.
    expect(storedState()).toMatchObject({ instanceId: SECOND_INSTANCE, everJoined: false, consecutiveProbeErrors: 0 });
    expect(storedState().stopRequestedAt).toBeUndefined();

    // Ready 115 s after the lookup that asked for it during the stop (18:08:05), not after the restart.
    await expect(watchdogMinute(10)).resolves.toMatchObject({ status: 'probed', instanceId: SECOND_INSTANCE, actions: [{ type: 'notify-ready', seconds: 115 }] });
    expect(changesOfThisStep()).toEqual([`ssm put ${STATE}`, `sns ready ${FQDN} in 115 s`]);
  });

  it('over the whole evening: the notices in order, the SRV record never touched, one host at a time, every stop saved', () => {
    expect(aws.published.map((m) => m.subject)).toEqual([
      `starting ${FQDN}`,
      `ready ${FQDN} in 62 s`,
      `stopping ${FQDN}: idle 3 min`,
      `${FQDN} stopped`,
      `starting ${FQDN}`,
      `ready ${FQDN} in 115 s`,
    ]);
    expect(aws.record(SRV_NAME, 'SRV')).toEqual({ ttl: 300, values: [`0 5 ${minecraft.port} ${FQDN}`] });
    expect(aws.journal.filter((entry) => entry.startsWith('asg gm-mc desired'))).toEqual(['asg gm-mc desired 0 -> 1', 'asg gm-mc desired 1 -> 0', 'asg gm-mc desired 0 -> 1']);
    expect(aws.violations).toEqual([]);
  });
});

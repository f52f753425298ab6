/**
 * A whole warm start through the real handlers against the simulated AWS:
 * the group's one instance waits stopped in the warm pool; a lookup brings
 * that same instance into the group (no new instance), the instance hook
 * starts the game on it and the watchdog sees it ready; the idle stop drains
 * it and returns it to the pool, where it is stopped again. The next start
 * takes it from the pool once more, with a watchdog state of its own: new
 * launch and watching times, nothing carried over from the last session.
 *
 * The steps run in order and share the simulated AWS and clock.
 */
import '../support/powertools-env-silent';
import type { HookOutcome } from '../../src/lambdas/instance-hook/flows';
import type { WatchdogOutcome } from '../../src/lambdas/watchdog/flows';
import { PLACEHOLDER_IPV4 } from '../../src/runtime/dns';
import type { WatchdogState } from '../../src/runtime/watchdog-state';
import type { FakeAws } from './fake-aws';
import { deployedAws, loopFunctions, loopGame, queryLogEvent, SCHEDULED_EVENT, type LoopFunctions } from './harness';
import { installSimClock, type SimClock } from './sim-clock';

const START = '2025-06-06T18:00:00.000Z';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const WARM = 'i-0a000000000000001';
const FQDN = 'mc.example.com';
const SRV_NAME = `_minecraft._tcp.${FQDN}`;
const STATE = '/gm/mc/watchdog-state';
const SESSION = '/gm/mc/session';
const IDLE_MINUTES = 3;
/** The second session's lookup, well after the first stop has ended. */
const SECOND_START_MINUTE = 20;

let sim: SimClock;
let aws: FakeAws;
let fns: LoopFunctions;
let mark = 0;

function changesOfThisStep(): string[] {
  const changes = aws.journalSince(mark);
  mark = aws.journal.length;
  return changes;
}

function iso(minute: number, seconds = 0): string {
  return new Date(Date.parse(START) + minute * MINUTE + seconds * SECOND).toISOString();
}

function storedState(): WatchdogState {
  return JSON.parse(aws.parameter(STATE) ?? 'null') as WatchdogState;
}

async function lookupAt(minute: number) {
  sim.at(minute * MINUTE);
  // Query logs reach the waker two seconds after the lookup.
  return fns.waker(queryLogEvent([{ at: Date.parse(iso(minute, -2)), name: SRV_NAME, type: 'SRV' }]));
}

async function deliverLifecycleEvent(expected: { Origin: string; Destination: string }): Promise<HookOutcome> {
  const events = aws.takeLifecycleEvents();
  expect(events).toEqual([expect.objectContaining({ detail: expect.objectContaining({ EC2InstanceId: WARM, ...expected }) })]);
  return fns.hook('mc')(events[0]);
}

async function watchdogAt(minute: number): Promise<WatchdogOutcome> {
  sim.at(minute * MINUTE);
  return fns.watchdog('mc')(SCHEDULED_EVENT);
}

beforeAll(() => {
  sim = installSimClock(START);
  const mc = loopGame({ id: 'mc', fqdn: FQDN, probe: { type: 'connections' }, idleMinutes: IDLE_MINUTES, startupMinutes: 5, stopTimeoutSeconds: 30 });
  aws = deployedAws([mc], {
    now: sim.now,
    warmPool: ['mc'],
    // A warm start: EC2 starts a stopped instance (20 s), the agent connects (10 s), the cached image starts at once.
    timing: { bootSeconds: 20, agentSeconds: 10, taskStartSeconds: 30, taskStopSeconds: 10 },
  });
  fns = loopFunctions([mc], sim.clock);
  mark = aws.journal.length;
});

afterAll(() => {
  aws?.restore();
  sim?.uninstall();
});

describe('a warm start: pool → group → ready → stop → pool, twice with the same instance', () => {
  it('starts with the one instance stopped in the warm pool and none in the group', () => {
    expect(aws.warmPoolStates()).toEqual({ [WARM]: 'Warmed:Stopped' });
    expect(aws.instanceStates()).toEqual({});
  });

  it('a lookup raises the group, which takes the warmed instance instead of launching one', async () => {
    await expect(lookupAt(0)).resolves.toMatchObject({ games: { mc: 'started' } });
    const changes = changesOfThisStep();
    expect(changes).toEqual(expect.arrayContaining([
      `ssm put ${SESSION}`,
      'asg gm-mc desired 0 -> 1',
      `asg ${WARM} Warmed:Stopped -> Pending`,
      `asg ${WARM} Pending -> Pending:Wait`,
      `sns starting ${FQDN}`,
    ]));
    expect(changes.filter((c) => c.includes(' launch '))).toEqual([]);
    expect(aws.warmPoolStates()).toEqual({});
    expect(aws.ec2Instances().map((i) => i.instanceId)).toEqual([WARM]);
  });

  it('the launch from the pool starts the game on it, points DNS at it and starts the watchdog state at this launch', async () => {
    await expect(deliverLifecycleEvent({ Origin: 'WarmPool', Destination: 'AutoScalingGroup' })).resolves.toMatchObject({ kind: 'launch', instanceId: WARM, started: true, dns: 'updated', lifecycle: 'completed' });
    expect(changesOfThisStep()).toEqual(expect.arrayContaining(['events gm-mc-watchdog-schedule ENABLED', 'ecs gm-mc desired 0 -> 1', `asg ${WARM} Pending:Wait -> InService`]));
    expect(aws.record(FQDN, 'A')?.values).not.toEqual([PLACEHOLDER_IPV4]);
    expect(storedState()).toMatchObject({ instanceId: WARM, launchedAt: START, watchingSince: START, everJoined: false, startSource: 'lookup', lookupAt: iso(0, -2) });
  });

  it('the watchdog sees the game ready a minute later and announces how long the start took from the lookup', async () => {
    aws.playersOn = () => 1;
    await expect(watchdogAt(1)).resolves.toMatchObject({ status: 'probed', instanceId: WARM, probe: { ok: true, players: 1 } });
    // 2 s until the waker read the lookup, 20 s for EC2 to start the stopped instance, 10 s for the agent, 30 s for the task.
    expect(changesOfThisStep()).toEqual(expect.arrayContaining([`ecs task1 PENDING on ${WARM} (gm-mc:1)`, 'ecs task1 RUNNING', `sns ready ${FQDN} in 62 s`]));
    expect(storedState()).toMatchObject({ instanceId: WARM, readyAt: iso(1), everJoined: true });
  });

  it(`the players leave after minute 2; ${IDLE_MINUTES} idle minutes later the stop sends the instance back towards the pool, not to termination`, async () => {
    await watchdogAt(2);
    aws.playersOn = () => 0;
    for (const minute of [3, 4]) await expect(watchdogAt(minute)).resolves.toMatchObject({ actions: [] });
    await expect(watchdogAt(2 + IDLE_MINUTES)).resolves.toMatchObject({ actions: [{ type: 'stop', reason: 'idle', minutes: IDLE_MINUTES }] });
    expect(storedState()).toMatchObject({ idleSince: iso(2), stopRequestedAt: iso(2 + IDLE_MINUTES), stopReason: 'idle' });
    expect(changesOfThisStep()).toEqual(expect.arrayContaining(['asg gm-mc desired 1 -> 0', `asg ${WARM} InService -> Warmed:Pending`, `asg ${WARM} Warmed:Pending -> Warmed:Pending:Wait`]));
    expect(aws.warmPoolStates()).toEqual({ [WARM]: 'Warmed:Pending:Wait' });
    expect(aws.instanceStates()).toEqual({});
  });

  it('the instance hook drains the game (it saves), puts DNS back, completes the action: the instance is stopped in the pool and the session ends', async () => {
    await expect(deliverLifecycleEvent({ Origin: 'AutoScalingGroup', Destination: 'WarmPool' })).resolves.toMatchObject({ kind: 'terminate', role: 'stop', dns: 'placeholder', lifecycle: 'completed', notified: true, restarted: false });
    const changes = changesOfThisStep();
    expect(changes.indexOf('ecs task1 STOPPED')).toBeLessThan(changes.indexOf(`asg ${WARM} Warmed:Pending:Wait -> Warmed:Pending:Proceed`));
    expect(changes).toEqual(expect.arrayContaining([`ec2 ${WARM} stopped`, `asg ${WARM} Warmed:Pending:Proceed -> Warmed:Stopped`, `sns ${FQDN} stopped`, `ssm delete ${SESSION}`]));
    expect(changes.filter((c) => c.includes('terminated'))).toEqual([]);
    expect(aws.warmPoolStates()).toEqual({ [WARM]: 'Warmed:Stopped' });
    expect(aws.record(FQDN, 'A')?.values).toEqual([PLACEHOLDER_IPV4]);
    expect(aws.parameter(SESSION)).toBeUndefined();
    await expect(watchdogAt(7)).resolves.toMatchObject({ status: 'no-instance' });
    changesOfThisStep();
  });

  it('the next start takes the same instance from the pool again, with a fresh watchdog state: new launch and watching times, nothing from the last session', async () => {
    await expect(lookupAt(SECOND_START_MINUTE)).resolves.toMatchObject({ games: { mc: 'started' } });
    expect(changesOfThisStep()).toEqual(expect.arrayContaining([`asg ${WARM} Warmed:Stopped -> Pending`]));
    await expect(deliverLifecycleEvent({ Origin: 'WarmPool', Destination: 'AutoScalingGroup' })).resolves.toMatchObject({ kind: 'launch', instanceId: WARM, started: true, lifecycle: 'completed' });
    changesOfThisStep();
    const fresh = storedState();
    expect(fresh).toMatchObject({ instanceId: WARM, launchedAt: iso(SECOND_START_MINUTE), watchingSince: iso(SECOND_START_MINUTE), everJoined: false, consecutiveProbeErrors: 0, lookupAt: iso(SECOND_START_MINUTE, -2) });
    for (const carried of ['readyAt', 'lastPlayersAt', 'idleSince', 'stopRequestedAt', 'stopReason', 'players'] as const) expect(fresh[carried]).toBeUndefined();
    expect(aws.ec2Instances()).toHaveLength(1);
  });

  it('the game runs on the host again (its container instance back from DRAINING) and is ready as fast as the first time', async () => {
    aws.playersOn = () => 2;
    await expect(watchdogAt(SECOND_START_MINUTE + 1)).resolves.toMatchObject({ status: 'probed', probe: { ok: true, players: 2 } });
    expect(changesOfThisStep()).toEqual(expect.arrayContaining([`sns ready ${FQDN} in 62 s`]));
    expect(aws.runningTasks().map((t) => t.ec2InstanceId)).toEqual([WARM]);
    expect(storedState()).toMatchObject({ readyAt: iso(SECOND_START_MINUTE + 1), launchedAt: iso(SECOND_START_MINUTE) });
  });

  it('and its stop returns it to the pool once more; nothing was left behind and no rule of the simulation was broken', async () => {
    aws.playersOn = () => 0;
    let stopped = false;
    for (let minute = SECOND_START_MINUTE + 2; minute <= SECOND_START_MINUTE + 8 && !stopped; minute++) {
      const outcome = await watchdogAt(minute);
      stopped = 'actions' in outcome && outcome.actions.some((a) => a.type === 'stop');
    }
    expect(stopped).toBe(true);
    await deliverLifecycleEvent({ Origin: 'AutoScalingGroup', Destination: 'WarmPool' });
    expect(aws.warmPoolStates()).toEqual({ [WARM]: 'Warmed:Stopped' });
    expect(aws.ec2Instances()).toHaveLength(1);
    expect(aws.parameter(SESSION)).toBeUndefined();
    expect(aws.violations).toEqual([]);
  });
});

/**
 * A start's timeline through the real handlers against the simulated AWS
 * (start-replay.ts): the ready notice's breakdown equals what the simulated
 * AWS journaled, every time is recorded once in the watchdog state, the stop's
 * times follow, and the game is seen ready within 10 s of answering wherever
 * its answer falls between the watchdog's probes and runs.
 */
import '../support/powertools-env-silent';
import { READY_WAIT_MS } from '../../src/lambdas/watchdog/flows';
import type { WatchdogState } from '../../src/runtime/watchdog-state';
import { FQDN, replayStart, type StartReplay } from './start-replay';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const INSTANCE = 'i-0a000000000000001';
const STATE = '/gm/mc/watchdog-state';
const seconds = (fromMs: number, toMs: number) => Math.round((toMs - fromMs) / 1000);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function storedState(replay: StartReplay): WatchdogState {
  return JSON.parse(replay.aws.parameter(STATE) ?? 'null') as WatchdogState;
}

/** The journal's time of `prefix`, failing the test when it is not there. */
function at(replay: StartReplay, prefix: string): number {
  const time = replay.journalTime(prefix);
  if (time === undefined) throw new Error(`the journal has no "${prefix}…": ${replay.aws.journal.join(' | ')}`);
  return time;
}

describe('a start, lookup to ready, and its stop', () => {
  let replay: StartReplay;
  beforeAll(async () => {
    replay = await replayStart();
  });
  afterAll(async () => {
    await replay?.close();
  });

  it("the ready notice's total and phases equal the simulated AWS's journal", () => {
    const registered = at(replay, `ecs container instance ci1 registered on ${INSTANCE}`);
    const pullStarted = at(replay, 'ecs task1 PENDING');
    const pulled = at(replay, 'ecs task1 image pulled');
    const running = at(replay, 'ecs task1 RUNNING');
    const ready = at(replay, `sns ready ${FQDN}`);
    const total = seconds(replay.lookupAt, ready);
    const instance = seconds(replay.lookupAt, registered);
    const image = seconds(pullStarted, pulled);
    const game = seconds(running, ready);

    const notice = replay.aws.published.find((m) => m.subject?.startsWith('ready '));
    expect(notice).toMatchObject({
      subject: `ready ${FQDN} in ${total} s`,
      message: `${FQDN} is ready ${total} s after your lookup (instance ${instance} s, image ${image} s, game ${game} s). Connect to ${FQDN}.`,
    });
    // START_TIMING and the game's 70 s are the README's example.
    expect([total, instance, image, game]).toEqual([74, 31, 22, 21]);
  });

  it('every time of the start is recorded once in the watchdog state, at the time AWS gave it', () => {
    const state = storedState(replay);
    const ec2Running = at(replay, `ec2 ${INSTANCE} running`);

    expect(state).toMatchObject({
      lookupAt: iso(replay.lookupAt),
      wakeAt: iso(at(replay, 'asg gm-mc desired 0 -> 1')),
      launchedAt: iso(at(replay, `asg gm-mc launch ${INSTANCE}`)),
      agentRegisteredAt: iso(at(replay, `ecs container instance ci1 registered on ${INSTANCE}`)),
      pullStartedAt: iso(at(replay, 'ecs task1 PENDING')),
      pullStoppedAt: iso(at(replay, 'ecs task1 image pulled')),
      taskRunningAt: iso(at(replay, 'ecs task1 RUNNING')),
      readyAt: iso(at(replay, `sns ready ${FQDN}`)),
    });
    // The launch hook sees the instance run at its next look for the public address (every 3 s).
    const seenRunning = Date.parse(state.instanceRunningAt ?? '');
    expect(seenRunning - ec2Running).toBeGreaterThanOrEqual(0);
    expect(seenRunning - ec2Running).toBeLessThan(3 * SECOND);
  });

  it("the stop's times follow: decided by the idle watchdog, drained, the container exited (saved), the instance let go", async () => {
    let stopAt: number | undefined;
    for (let minute = 2; minute <= 6 && stopAt === undefined; minute++) {
      await replay.advanceTo(minute * MINUTE - 3 * SECOND);
      const outcome = await replay.fns.watchdog('mc')({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
      if (outcome.status === 'probed' && outcome.actions.some((a) => a.type === 'stop')) stopAt = replay.sim.now();
    }
    expect(stopAt).toBeDefined();

    await replay.advanceTo(6 * MINUTE + 10 * SECOND);
    const drainStarted = replay.sim.now();
    const [terminate] = replay.aws.takeLifecycleEvents();
    await expect(replay.fns.hook('mc')(terminate)).resolves.toMatchObject({ kind: 'terminate', role: 'stop', lifecycle: 'completed' });

    const state = storedState(replay);
    const exited = at(replay, 'ecs task1 STOPPED');
    expect(state).toMatchObject({
      stopReason: 'idle',
      stopRequestedAt: iso(stopAt),
      drainStartedAt: iso(drainStarted),
      terminatedAt: iso(at(replay, `asg ${INSTANCE} Terminating:Wait -> Terminated`)),
    });
    // Seen by the hook's next look at the tasks (every 5 s) after the game saved and exited.
    const seenExited = Date.parse(state.containerExitedAt ?? '');
    expect(seenExited - exited).toBeGreaterThanOrEqual(0);
    expect(seenExited - exited).toBeLessThan(5 * SECOND);
  });
});

describe('readiness is seen within 10 s of the game answering', () => {
  it.each([
    ['right after a probe of a run', 58 * SECOND, 5],
    ['between two probes of a run', 70 * SECOND, 5],
    // The first run (57 s) probes last READY_WAIT_MS into it; the next run comes a minute after it.
    ['right after the last probe of a run, seen by the next run', 57 * SECOND + READY_WAIT_MS + SECOND, 10],
  ])('when it answers %s', async (_where, gameAnswersAtMs, withinSeconds) => {
    const replay = await replayStart({ gameAnswersAtMs });
    try {
      const readyAt = Date.parse(storedState(replay).readyAt ?? '');
      expect(readyAt).toBeGreaterThanOrEqual(replay.gameAnswersAt);
      expect(readyAt - replay.gameAnswersAt).toBeLessThanOrEqual(withinSeconds * SECOND);
      expect(replay.aws.published.filter((m) => m.subject?.startsWith('ready '))).toHaveLength(1);
    } finally {
      await replay.close();
    }
  });
});

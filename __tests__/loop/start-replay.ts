/**
 * One start replayed through the real waker, instance hook and watchdog
 * against the simulated AWS, with a real Minecraft server that starts
 * answering at a chosen simulated time: the player's lookup, the wake call,
 * the instance booting and its ECS agent registering, the game image pulled,
 * the container running, the game answering, "ready" published.
 *
 * It measures two things. In simulated time, the timeline AWS would give
 * (the fake's journal, each entry at its own time), which the ready notice's
 * numbers must equal. In wall time, the part of the start that is our code:
 * the waker from the lookup's arrival to the wake call, and the watchdog from
 * the game answering to the ready notice. (DNS is pointed at the instance by
 * the launch hook before the game can answer, so it adds nothing after the
 * answer.) Used by start-timeline.test.ts and by the bench; needs no test runner.
 */
import '../support/powertools-env-silent';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../src/lambdas/shared/poll';
import type { WatchdogOutcome } from '../../src/lambdas/watchdog/flows';
import { closedPort, LOCALHOST, startMinecraftServer, type MinecraftServer } from '../support/minecraft';
import type { FakeAws, FakeTiming } from './fake-aws';
import { deployedAws, loopFunctions, loopGame, queryLogEvent, SCHEDULED_EVENT, type LoopFunctions } from './harness';
import { installSimClock, type SimClock } from './sim-clock';

export const START = '2025-06-01T18:00:00.000Z';
export const FQDN = 'mc.example.com';
export const SRV_NAME = `_minecraft._tcp.${FQDN}`;
const SECOND = 1000;

/**
 * AWS's side of the start, as the README's example: the instance runs 23 s
 * after the wake and its agent registers 6 s later; the image takes 22 s to
 * pull and the container runs right after.
 */
export const START_TIMING: Partial<FakeTiming> = { bootSeconds: 23, agentSeconds: 6, imagePullSeconds: 22, taskStartSeconds: 22, taskStopSeconds: 10 };

export interface ReplayOptions {
  /** Simulated ms after START at which the game starts answering (default 70 s). */
  readonly gameAnswersAtMs?: number;
  /** Simulated ms after START of the watchdog's runs (its schedule), until one sees the game ready (default 57 s, then every minute). */
  readonly firstWatchdogRunMs?: number;
  /** Minutes of zero players before the idle stop (default 2). */
  readonly idleMinutes?: number;
}

/** Wall-clock milliseconds of our own code in the start. */
export interface InHouseTimes {
  /** The waker: the lookup's batch arriving → the group raised (SetDesiredCapacity). */
  readonly wakeMs: number;
  /** The watchdog: the game accepting the probe that sees it ready → the ready notice published. */
  readonly readyMs: number;
}

export interface StartReplay {
  readonly aws: FakeAws;
  readonly sim: SimClock;
  readonly fns: LoopFunctions;
  /** Epoch ms of the player's lookup (two seconds before the wake). */
  readonly lookupAt: number;
  /** Epoch ms from which the game answers. */
  readonly gameAnswersAt: number;
  /** The watchdog's runs, each with its simulated start (epoch ms). */
  readonly watchdogRuns: readonly { readonly at: number; readonly outcome: WatchdogOutcome }[];
  readonly wall: InHouseTimes;
  /** The epoch ms of the first journal entry that starts with `prefix` (the change's own simulated time). */
  journalTime(prefix: string): number | undefined;
  /** Moves the simulated time on; the game starts answering once it is due. */
  advanceTo(offsetMs: number): Promise<void>;
  /** Puts Date, the SDK clients and the game server back. */
  close(): Promise<void>;
}

/** Plays one start from the lookup to "ready" (at most 5 watchdog runs). */
export async function replayStart(options: ReplayOptions = {}): Promise<StartReplay> {
  const port = await closedPort();
  const sim = installSimClock(START);
  const start = sim.now();
  const gameAnswersAt = start + (options.gameAnswersAtMs ?? 70 * SECOND);
  let server: MinecraftServer | undefined;
  let answeredWall: number | undefined;
  const gameUpIfDue = async () => {
    if (server || sim.now() < gameAnswersAt) return;
    server = await startMinecraftServer({ port });
    // The probe's connection accepted: the game answers from here (its status reply follows at once).
    server.server.on('connection', () => {
      answeredWall = performance.now();
    });
  };
  // The functions' waits move the simulated clock; the game comes up when its time is passed.
  const clock: Clock = {
    now: sim.clock.now,
    sleep: async (ms) => {
      await sim.clock.sleep(ms);
      await gameUpIfDue();
    },
  };

  const mc = loopGame({ id: 'mc', fqdn: FQDN, port, probe: { type: 'query', game: 'minecraft', port }, idleMinutes: options.idleMinutes ?? 2, startupMinutes: 5, stopTimeoutSeconds: 30 });
  const aws = deployedAws([mc], { now: sim.now, instanceIpv4: LOCALHOST, timing: START_TIMING });
  const fns = loopFunctions([mc], clock);
  let wakeCalledWall: number | undefined;
  let readyPublishedWall: number | undefined;
  aws.world.observe((entry) => {
    if (entry === 'asg gm-mc desired 0 -> 1') wakeCalledWall ??= performance.now();
    if (entry.startsWith(`sns ready ${FQDN}`)) readyPublishedWall ??= performance.now();
  });

  const close = async () => {
    sim.uninstall();
    aws.restore();
    await server?.close();
  };
  try {
    const lookupAt = start - 2 * SECOND;
    sim.at(0);
    const wakerStartWall = performance.now();
    await fns.waker(queryLogEvent([{ at: lookupAt, name: SRV_NAME, type: 'SRV' }]));
    if (wakeCalledWall === undefined) throw new Error('the lookup did not raise the group');
    const wakeMs = wakeCalledWall - wakerStartWall;

    // EventBridge delivers the launch action a second later.
    sim.at(SECOND);
    const [launch, ...more] = aws.takeLifecycleEvents();
    if (!launch || more.length > 0) throw new Error(`expected one launch event, got ${more.length + (launch ? 1 : 0)}`);
    await fns.hook('mc')(launch);

    const runs: { at: number; outcome: WatchdogOutcome }[] = [];
    let runAt = options.firstWatchdogRunMs ?? 57 * SECOND;
    while (readyPublishedWall === undefined && runs.length < 5) {
      sim.at(runAt);
      await gameUpIfDue();
      runs.push({ at: sim.now(), outcome: await fns.watchdog('mc')(SCHEDULED_EVENT) });
      runAt += 60 * SECOND;
    }
    if (readyPublishedWall === undefined || answeredWall === undefined) throw new Error('the game was not seen ready in 5 watchdog runs');

    return {
      aws,
      sim,
      fns,
      lookupAt,
      gameAnswersAt,
      watchdogRuns: runs,
      wall: { wakeMs, readyMs: readyPublishedWall - answeredWall },
      journalTime: (prefix) => {
        const index = aws.world.journal.findIndex((entry) => entry.startsWith(prefix));
        return index < 0 ? undefined : aws.world.journalTimes[index];
      },
      advanceTo: async (offsetMs) => {
        sim.at(offsetMs);
        await gameUpIfDue();
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

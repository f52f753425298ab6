/**
 * The simulated world an operator's command runs in: while `gm start`,
 * `gm status` or `gm stop` sleeps between its reads, the simulation goes on —
 * EventBridge delivers the lifecycle events AWS emitted to the real instance
 * hook, and the real watchdog runs at each minute boundary while its rule is
 * enabled. One invocation at a time (a hook waiting for a drain moves the
 * simulated clock itself), which is all a single operator command needs.
 */
import type { Clock } from '../../src/lambdas/shared/poll';
import type { FakeAws } from './fake-aws';
import { SCHEDULED_EVENT, type LoopFunctions } from './harness';
import type { SimClock } from './sim-clock';

const MINUTE = 60_000;

export class OperatorLoop {
  /** The clock the command is given: its sleeps run the simulation up to their end. */
  readonly clock: Clock;
  /** Invocations that threw (a handler failing is visible here, never swallowed silently). */
  readonly errors: string[] = [];
  private nextMinute: number;

  constructor(
    private readonly sim: SimClock,
    private readonly aws: FakeAws,
    private readonly fns: LoopFunctions,
    private readonly gameId: string,
    private readonly watchdogRule: string,
  ) {
    this.nextMinute = Math.floor(sim.now() / MINUTE) * MINUTE + MINUTE;
    this.clock = { now: () => sim.now(), sleep: (ms) => this.runUntil(sim.now() + ms) };
  }

  /** Delivers every lifecycle event emitted so far (and those the hook's work emits in turn). */
  async deliverEvents(): Promise<void> {
    for (;;) {
      this.aws.settle();
      const events = this.aws.takeLifecycleEvents();
      if (events.length === 0) return;
      for (const event of events) await this.invoke('instance hook', () => this.fns.hook(this.gameId)(event));
    }
  }

  /** Runs the world up to `target` (ms): events as they come, the watchdog at each minute boundary. */
  async runUntil(target: number): Promise<void> {
    await this.deliverEvents();
    while (this.nextMinute <= target) {
      this.sim.set(Math.max(this.sim.now(), this.nextMinute));
      await this.deliverEvents();
      if (this.aws.rules.get(this.watchdogRule) === 'ENABLED') await this.invoke('watchdog', () => this.fns.watchdog(this.gameId)(SCHEDULED_EVENT));
      await this.deliverEvents();
      // A run that waited (re-probing a booting game) may have passed the next boundary: the schedule does not catch up.
      this.nextMinute = Math.max(this.nextMinute + MINUTE, Math.floor(this.sim.now() / MINUTE) * MINUTE + MINUTE);
    }
    this.sim.set(Math.max(this.sim.now(), target));
    await this.deliverEvents();
  }

  private async invoke(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (e) {
      this.errors.push(`${this.sim.iso()} ${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
}

/**
 * What every part of the fake AWS shares: the simulated time, the timers
 * that move resources on by themselves (an instance booting, a container
 * saving, EC2 reclaiming a spot instance, a lifecycle hook timing out), the
 * journal of changes, the EventBridge events emitted, and the invariants
 * watched after every change.
 *
 * Time moves only when the test moves it (its simulated clock): the fake runs
 * the timers that are due lazily, before each command it answers and when
 * the test calls `settle()`, each at its own time, in order.
 */

/** An EventBridge event as AWS sends it (lifecycle actions, launch failures, spot warnings, ECS task changes). */
export interface EmittedEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly run: () => void;
}

export class World {
  /** Every change, in order, in words (e.g. "asg gm-mc-asg desired 0 -> 1"). */
  readonly journal: string[] = [];
  /** Times (ms) of the journal entries, same index. */
  readonly journalTimes: number[] = [];
  /** Broken invariants, in words with their time: two hosts holding one world, a game killed before it saved. */
  readonly violations: string[] = [];
  private readonly pendingEvents: EmittedEvent[] = [];
  private timers: Timer[] = [];
  private timerSeq = 0;
  private eventSeq = 0;
  /** While a timer runs, the time it was due; otherwise the clock's time. */
  private processingAt: number | undefined;
  private settling = false;
  /** Called after every change the world settles (checks invariants). */
  afterChange: () => void = () => undefined;
  /** Called after each journal entry, at the change's own time (observers sample the state there). */
  private readonly observers: ((entry: string, at: number) => void)[] = [];

  constructor(
    readonly region: string,
    readonly account: string,
    private readonly clockNow: () => number,
  ) {}

  /** The time of what is happening now: a due timer's own time, or the clock's. */
  time(): number {
    return this.processingAt ?? this.clockNow();
  }

  iso(): string {
    return new Date(this.time()).toISOString();
  }

  log(entry: string): void {
    this.journal.push(entry);
    this.journalTimes.push(this.time());
    for (const observer of this.observers) observer(entry, this.time());
  }

  /** Calls `observer` after every change, at the change's time (a due timer's own time, not the clock's). */
  observe(observer: (entry: string, at: number) => void): void {
    this.observers.push(observer);
  }

  violation(what: string): void {
    this.violations.push(`${this.iso()} ${what}`);
  }

  /** Runs `run` after `delayMs` of simulated time; at once when the delay is 0. */
  after(delayMs: number, label: string, run: () => void): void {
    if (delayMs <= 0) {
      run();
      return;
    }
    this.timers.push({ at: this.time() + delayMs, seq: ++this.timerSeq, label, run });
  }

  /** Timers still to run, soonest first (for tests that want to know what is coming). */
  upcoming(): readonly { readonly at: string; readonly label: string }[] {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => ({ at: new Date(t.at).toISOString(), label: t.label }));
  }

  /** Runs every timer due by the clock's time, each at its own time, in order (timers they add included). */
  settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      const now = this.clockNow();
      for (;;) {
        const due = this.timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        this.timers = this.timers.filter((t) => t !== due);
        this.processingAt = due.at;
        try {
          due.run();
          this.afterChange();
        } finally {
          this.processingAt = undefined;
        }
      }
    } finally {
      this.settling = false;
    }
  }

  emit(detailType: string, source: string, resources: readonly string[], detail: Record<string, unknown>): EmittedEvent {
    const event: EmittedEvent = {
      version: '0',
      id: `event-${String(++this.eventSeq).padStart(6, '0')}`,
      'detail-type': detailType,
      source,
      account: this.account,
      time: this.iso(),
      region: this.region,
      resources,
      detail,
    };
    this.pendingEvents.push(event);
    return event;
  }

  /** The events emitted since the last call and matching `filter`, oldest first; the others stay queued. */
  takeEvents(filter: (event: EmittedEvent) => boolean = () => true): EmittedEvent[] {
    this.settle();
    const taken = this.pendingEvents.filter(filter);
    const kept = this.pendingEvents.filter((e) => !filter(e));
    this.pendingEvents.splice(0, this.pendingEvents.length, ...kept);
    return taken;
  }

  /** Events still queued (not taken), without taking them. */
  queuedEvents(): readonly EmittedEvent[] {
    return [...this.pendingEvents];
  }
}

/**
 * Plays a trace through the real waker, instance hook and watchdog against
 * the fake AWS, on the simulated clock, and measures what happened.
 *
 * How the world is driven:
 * - each lookup reaches the waker 2 s after it was made (query-log delivery),
 *   one CloudWatch Logs batch per moment;
 * - every event AWS emits (lifecycle actions, failed launches, spot warnings)
 *   reaches the instance hook 1 s later, as EventBridge would;
 * - the watchdog runs at every minute boundary while its rule is ENABLED;
 * - a function that throws is invoked again with the same event 1 and 3
 *   minutes later (Lambda's two retries of an asynchronous invocation);
 * - the watchdog's probe is the `connections` probe: SSM Run Command on the
 *   fake answers with the trace's player count while the game is playable
 *   (its task runs and the game's A record points at its instance), 0 while
 *   the players cannot reach it, and "not listening" before the task runs.
 * Functions run concurrently, as Lambda runs them: a function that waits
 * (the hook polling a drain, the watchdog re-probing a booting game) sleeps
 * on the simulated clock while the others go on. Simulated time moves only
 * when every invocation under way is asleep (or none is): to the next wake-up,
 * trace action, or change the fake AWS has due, whichever comes first.
 */
import type { Clock } from '../../../src/lambdas/shared/poll';
import type { WakeBatchSummary } from '../../../src/lambdas/waker/handler';
import { PLACEHOLDER_IPV4 } from '../../../src/runtime/dns';
import type { EmittedEvent, FakeAws } from '../fake-aws';
import { deployedAws, loopFunctions, loopGame, queryLogEvent, SCHEDULED_EVENT, type LoopFunctions, type LoopGame, type QueryLogLine } from '../harness';
import { installSimClock, type SimClock } from '../sim-clock';
import { demandAt, type Trace, type TraceLookup } from './trace';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const QUERY_LOG_DELAY_MS = 2 * SECOND;
const EVENTBRIDGE_DELAY_MS = 1 * SECOND;
const LAMBDA_RETRIES_MS = [1 * MINUTE, 3 * MINUTE];
/** Longest wait a player may have for a playable game after asking (boot, start, a stop to finish first). */
export const MAX_WAIT_MINUTES = 6;

/** Prices assumed for the cost column (eu-west-1, t3.medium, per hour). */
export const PRICES = { onDemandPerHour: 0.0456, spotPerHour: 0.016, publicIpv4PerHour: 0.005 } as const;

export interface TraceResult {
  readonly name: string;
  readonly about: string;
  readonly minutes: number;
  /** Times the group was raised from 0 (a session started). */
  readonly starts: number;
  /** Starts during which no player was ever on the game. */
  readonly falseWakes: number;
  /** Times the group was set to 0. */
  readonly stops: number;
  /** Sessions started again by the end of a stop, for a wake that came during it. */
  readonly restartsAfterStop: number;
  readonly spotInterruptions: number;
  readonly launchFailures: number;
  /** Distinct EC2 instances used. */
  readonly instances: number;
  /** Time EC2 instances ran (billed), hours. */
  readonly instanceHours: number;
  /** Time the game was playable, hours. */
  readonly playableHours: number;
  /** Longest time a player waited for a playable game after asking, seconds. */
  readonly longestWaitSeconds: number;
  readonly costUsd: number;
  /** Notices published, in order (subjects). */
  readonly notices: readonly string[];
  /** Players cut off by something outside the loop's control (a spot reclaim). */
  readonly interruptions: readonly string[];
  /** Invocations that failed (each retried by Lambda, or by the next minute for the watchdog): visible, not fatal. */
  readonly errors: readonly string[];
  /** Everything that must never happen; empty when the trace passed. */
  readonly violations: readonly string[];
}

interface Action {
  readonly at: number;
  readonly seq: number;
  readonly what: string;
  readonly run: () => Promise<void> | void;
}

interface Sample {
  readonly t: number;
  readonly desired: number;
  /** The instance players can play on, if any. */
  readonly playable: string | undefined;
  readonly demand: number;
}

export interface RunOptions {
  /** Called with the fake AWS before the trace starts (to arm faults). */
  readonly setup?: (aws: FakeAws) => void;
  /** Called with the fake AWS at the end of the run, before it is restored (to read its journal). */
  readonly inspect?: (aws: FakeAws) => void;
  /** EventBridge delivers every AWS event a second time, this long after the first (at-least-once delivery). */
  readonly duplicateEventsAfterMs?: number;
  /** How long EventBridge takes to deliver an event (default 1 s): late events arrive out of order. */
  readonly eventDelayMs?: (event: EmittedEvent) => number;
  /** Every query-log batch reaches two waker invocations at once (two deliveries, two edge locations). */
  readonly concurrentWakers?: boolean;
  /**
   * Extra minutes an idle period may last before it is a violation (default 0): a failed
   * watchdog run delays the stop by its minute, a lost watchdog state restarts the idle clock.
   */
  readonly idleSlackMinutes?: number;
  /** Things done to AWS at given minutes of the trace (garble a parameter, arm a fault). */
  readonly during?: readonly { readonly minute: number; readonly run: (aws: FakeAws) => void }[];
}

/** A run replaces `Date` and the SDK clients' `send` for the whole process: one at a time. */
let running: string | undefined;

export async function runTrace(trace: Trace, options: RunOptions = {}): Promise<TraceResult> {
  if (running) throw new Error(`runTrace(${trace.name}) while ${running} runs: traces replace Date and the AWS clients, run them one at a time`);
  running = trace.name;
  try {
    return await play(trace, options);
  } finally {
    running = undefined;
  }
}

async function play(trace: Trace, options: RunOptions): Promise<TraceResult> {
  const sim = installSimClock(trace.start);
  let aws: FakeAws | undefined;
  try {
    const lg = loopGame({
      id: 'mc',
      fqdn: 'mc.example.com',
      idleMinutes: trace.game.idleMinutes,
      ...(trace.game.startupMinutes !== undefined ? { startupMinutes: trace.game.startupMinutes } : {}),
      ...(trace.game.maxHours !== undefined ? { maxHours: trace.game.maxHours } : {}),
      ...(trace.game.stopAfterMaxHours !== undefined ? { stopAfterMaxHours: trace.game.stopAfterMaxHours } : {}),
      ...(trace.game.spot !== undefined ? { spot: trace.game.spot } : {}),
      ...(trace.game.wakeOn ? { wakeOn: trace.game.wakeOn } : {}),
      ...(trace.game.srv !== undefined ? { srv: trace.game.srv } : {}),
      ...(trace.game.stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds: trace.game.stopTimeoutSeconds } : {}),
      probe: { type: 'connections' },
    });
    aws = deployedAws([lg], {
      now: sim.now,
      timing: { bootSeconds: 45, agentSeconds: 10, taskStartSeconds: 40, taskStopSeconds: 15, ...trace.timing },
      warmPool: trace.game.warmPool ? [lg.game.id] : [],
    });
    options.setup?.(aws);
    const result = await new TracePlay(trace, lg, aws, sim, options).run();
    options.inspect?.(aws);
    return result;
  } finally {
    aws?.restore();
    sim.uninstall();
  }
}

class TracePlay {
  private readonly start: number;
  private readonly end: number;
  private readonly actions: Action[] = [];
  private seq = 0;
  private readonly samples: Sample[] = [];
  private readonly violations: string[] = [];
  private readonly errors: string[] = [];
  private readonly stopDecisions: number[] = [];
  private readonly spotWarned = new Set<string>();
  private launchFailures = 0;
  private restartsAfterStop = 0;
  private readonly fns: LoopFunctions;

  constructor(
    private readonly trace: Trace,
    private readonly lg: LoopGame,
    private readonly aws: FakeAws,
    private readonly sim: SimClock,
    private readonly options: RunOptions,
  ) {
    this.fns = loopFunctions([lg], this.clock);
    this.start = Date.parse(trace.start);
    this.end = this.start + trace.minutes * MINUTE;
    aws.playersOn = (_game, instanceId) => (this.playableInstance() === instanceId ? this.demand(this.aws.world.time()) : 0);
    aws.world.observe((entry, at) => {
      this.sample(at);
      if (entry === `asg ${lg.game.asgName} desired 1 -> 0`) this.onStopDecided(at);
    });
  }

  async run(): Promise<TraceResult> {
    this.scheduleTrace();
    for (;;) {
      await this.quiesce();
      this.collectAwsEvents();
      const next = this.nextMoment();
      if (next === undefined) break;
      this.sim.set(Math.max(this.sim.now(), next));
      this.aws.settle();
      const now = this.sim.now();
      // Sleepers first (they were waiting), then what starts now, in the order it was scheduled.
      for (const sleeper of this.sleepers.filter((w) => w.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq)) {
        this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
        sleeper.wake();
      }
      for (const action of this.actions.filter((a) => a.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq)) {
        this.actions.splice(this.actions.indexOf(action), 1);
        this.begin(action);
      }
    }
    this.sim.set(Math.max(this.sim.now(), this.end));
    this.aws.settle();
    this.sample(this.end);
    return this.result();
  }

  /** The clock the functions get: a sleep waits for simulated time to reach its end. */
  readonly clock: Clock = {
    now: () => this.sim.now(),
    sleep: (ms) => new Promise<void>((wake) => this.sleepers.push({ at: this.sim.now() + Math.max(0, ms), seq: ++this.seq, wake })),
  };

  private readonly sleepers: { readonly at: number; readonly seq: number; readonly wake: () => void }[] = [];
  private inFlight = 0;

  private begin(action: Action): void {
    this.inFlight++;
    void (async () => {
      try {
        await action.run();
      } catch (e) {
        this.violation(`${action.what} threw: ${describe(e)}`);
      } finally {
        this.inFlight--;
        this.sample(this.sim.now());
      }
    })();
  }

  /** Lets every invocation under way run until it sleeps or ends (AWS answers in microtasks; imports may take a turn). */
  private async quiesce(): Promise<void> {
    for (let turns = 0; this.inFlight > this.sleepers.length; turns++) {
      if (turns > 100_000) throw new Error(`an invocation neither ends nor sleeps (${this.inFlight} under way, ${this.sleepers.length} asleep)`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** When something happens next: a wake-up, a trace action (not after the trace's end), or a change the fake has due. */
  private nextMoment(): number | undefined {
    const candidates = [
      ...this.sleepers.map((w) => w.at),
      ...this.actions.filter((a) => a.at <= this.end).map((a) => a.at),
    ];
    const timer = this.nextTimerAt();
    if (timer !== undefined && (timer <= this.end || this.inFlight > 0)) candidates.push(timer);
    return candidates.length > 0 ? Math.min(...candidates) : undefined;
  }

  // ---------------------------------------------------------------- the trace's own actions

  private at(minute: number): number {
    return this.start + Math.round(minute * MINUTE);
  }

  private schedule(at: number, what: string, run: () => Promise<void> | void): void {
    this.actions.push({ at, seq: ++this.seq, what, run });
  }

  private nextTimerAt(): number | undefined {
    const next = this.aws.world.upcoming()[0];
    return next ? Date.parse(next.at) : undefined;
  }

  private scheduleTrace(): void {
    const { trace } = this;
    for (const { minute, run } of this.options.during ?? []) this.schedule(this.at(minute), `test action at minute ${minute}`, () => run(this.aws));
    // Demand changes are sampled at their minute; the watchdog runs after them at the same moment.
    for (const [minute] of trace.players) this.schedule(this.at(minute), `players ${demandAt(trace, minute)}`, () => this.sample(this.at(minute)));
    for (let m = 1; m <= trace.minutes; m++) this.schedule(this.at(m), `watchdog minute ${m}`, () => this.watchdogTick());
    const byMoment = new Map<number, TraceLookup[]>();
    for (const lookup of trace.lookups.filter((l) => l.minute !== undefined)) {
      const at = this.at(lookup.minute ?? 0);
      byMoment.set(at, [...(byMoment.get(at) ?? []), lookup]);
    }
    for (const [at, lookups] of byMoment) this.scheduleLookups(at, lookups);
    for (const event of trace.events ?? []) {
      this.schedule(this.at(event.minute), `trace event at minute ${event.minute}`, () => {
        if (event.spotCapacity !== undefined) this.aws.setSpotCapacity(this.lg.game.id, event.spotCapacity);
        if (event.failLaunches) this.aws.failNextLaunches(this.lg.game.id, event.failLaunches);
        if (event.spotInterruption) this.interruptSpot();
      });
    }
  }

  private scheduleLookups(at: number, lookups: readonly TraceLookup[]): void {
    const lines: QueryLogLine[] = lookups.map((l) => ({ at, name: this.lookupName(l), type: l.type, ...(l.who === 'scanner' ? { resolver: '203.0.113.66' } : {}) }));
    const who = lookups.map((l) => l.who);
    const event = queryLogEvent(lines);
    for (let copy = 0; copy < (this.options.concurrentWakers ? 2 : 1); copy++) {
      this.invoke(at + QUERY_LOG_DELAY_MS, `waker (${lines.map((l) => `${l.type} ${l.name}`).join(', ')})`, async () => {
        const summary = await this.fns.waker(event);
        this.checkWake(summary, who);
      });
    }
  }

  private lookupName(lookup: TraceLookup): string {
    if (lookup.name) return lookup.name;
    return lookup.type === 'SRV' && this.lg.game.srvName ? this.lg.game.srvName : this.lg.game.fqdn;
  }

  private checkWake(summary: WakeBatchSummary, who: readonly string[]): void {
    const result = summary.games[this.lg.game.id];
    if ((result === 'started' || result === 'deferred') && who.every((w) => w === 'scanner')) {
      this.violation(`a batch of scanner lookups only ${result === 'started' ? 'woke' : 'recorded a wake for'} the game`);
    }
  }

  private onStopDecided(at: number): void {
    this.stopDecisions.push(at);
    const n = this.stopDecisions.length;
    for (const lookup of this.trace.lookups.filter((l) => l.afterStop === n)) {
      this.scheduleLookups(at + (lookup.seconds ?? 0) * SECOND, [lookup]);
    }
    const demand = this.demand(at);
    if (demand > 0 && this.playableInstance() !== undefined) this.violation(`the group was set to 0 while ${demand} player(s) were playing`);
  }

  private async watchdogTick(): Promise<void> {
    this.sample(this.sim.now());
    if (this.aws.rules.get(this.lg.game.watchdogRuleName) !== 'ENABLED') return;
    // The next minute's run is the watchdog's retry; its failure destination (the failsafe) is not simulated.
    try {
      await this.fns.watchdog(this.lg.game.id)(SCHEDULED_EVENT);
    } catch (e) {
      this.errors.push(`${iso(this.sim.now())} watchdog run failed: ${describe(e)}`);
    }
  }

  private interruptSpot(): void {
    const instance = this.aws.ec2Instances(this.lg.game.id).find((i) => i.state === 'running' && i.market === 'spot');
    if (!instance) {
      this.violation('the trace interrupts a spot instance, but none runs');
      return;
    }
    this.spotWarned.add(instance.instanceId);
    this.aws.interruptSpot(instance.instanceId);
  }

  // ---------------------------------------------------------------- AWS's events and Lambda's retries

  private collectAwsEvents(): void {
    for (const event of this.aws.takeEvents((e) => e.source !== 'aws.ecs')) {
      if (event['detail-type'] === 'EC2 Instance Launch Unsuccessful') this.launchFailures++;
      const at = Date.parse(event.time) + (this.options.eventDelayMs?.(event) ?? EVENTBRIDGE_DELAY_MS);
      const deliveries = this.options.duplicateEventsAfterMs === undefined ? [at] : [at, at + this.options.duplicateEventsAfterMs];
      for (const deliverAt of deliveries) {
        this.invoke(deliverAt, `instance hook (${event['detail-type']} ${String(event.detail.EC2InstanceId ?? event.detail['instance-id'] ?? '')})`, async () => {
          const outcome = await this.fns.hook(this.lg.game.id)(event);
          if (outcome.kind === 'terminate' && outcome.restarted) this.restartsAfterStop++;
        });
      }
    }
    // ECS task state changes go to the failsafe, which these traces do not run.
    this.aws.takeEvents((e: EmittedEvent) => e.source === 'aws.ecs');
  }

  /** An asynchronous invocation: on failure Lambda invokes again with the same event, twice. */
  private invoke(at: number, what: string, run: () => Promise<void>, attempt = 0): void {
    this.schedule(at, what, async () => {
      try {
        await run();
      } catch (e) {
        this.errors.push(`${iso(this.sim.now())} ${what} failed (attempt ${attempt + 1}): ${describe(e)}`);
        const delay = LAMBDA_RETRIES_MS[attempt];
        if (delay !== undefined) this.invoke(this.sim.now() + delay, what, run, attempt + 1);
      }
    });
  }

  // ---------------------------------------------------------------- observing

  private demand(at: number): number {
    return demandAt(this.trace, (at - this.start) / MINUTE);
  }

  /** The instance players reach and play on: its game task runs (not stopping) and the name points at it. */
  private playableInstance(): string | undefined {
    const address = this.aws.record(this.lg.game.fqdn, 'A')?.values[0];
    if (!address || address === PLACEHOLDER_IPV4) return undefined;
    const task = this.aws.tasks(this.lg.game.id).find((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
    const instance = task ? this.aws.compute.instances.get(task.ec2InstanceId) : undefined;
    return instance?.state === 'running' && instance.ipv4 === address ? instance.instanceId : undefined;
  }

  private sample(t: number): void {
    const previous = this.samples.at(-1);
    const next: Sample = { t, desired: this.aws.group(this.lg.game.id).desiredCapacity, playable: this.playableInstance(), demand: this.demand(t) };
    if (previous && previous.t > t) return; // a timer's change inside a longer step: its effect is sampled after it
    if (previous && previous.desired === next.desired && previous.playable === next.playable && previous.demand === next.demand) return;
    if (previous?.playable && previous.demand > 0 && next.playable !== previous.playable && next.demand > 0) {
      if (this.spotWarned.has(previous.playable)) {
        this.interruptions.push(`${iso(t)} ${previous.demand} player(s) cut off by the spot reclaim of ${previous.playable}`);
      } else {
        this.violation(`${previous.demand} player(s) cut off: the game on ${previous.playable} stopped being playable`, t);
      }
    }
    this.samples.push(next);
  }

  private readonly interruptions: string[] = [];

  private violation(what: string, at = this.sim.now()): void {
    this.violations.push(`${iso(at)} ${what}`);
  }

  // ---------------------------------------------------------------- the result

  private result(): TraceResult {
    const { trace, aws, lg } = this;
    const idle = trace.game.idleMinutes;
    const startup = trace.game.startupMinutes ?? 5;
    const slack = this.options.idleSlackMinutes ?? 0;
    const allowed = `idleMinutes ${idle} + 1${slack ? ` + ${slack}` : ''} allowed`;
    this.checkPeriods('idle while playable', (s) => s.playable !== undefined && s.demand === 0 && s.desired >= 1, (idle + 1 + slack) * MINUTE, (m) =>
      `the game stayed up ${m} min after the last player left (${allowed})`);
    this.checkPeriods('up with nobody', (s) => s.desired >= 1 && s.demand === 0, (startup + idle + 2 + slack) * MINUTE, (m) =>
      `the group stayed at 1 for ${m} min while nobody wanted to play`);
    const waits = this.checkPeriods('waiting', (s) => s.demand > 0 && s.playable === undefined, MAX_WAIT_MINUTES * MINUTE, (m) =>
      `players waited ${m} min for a playable game`);

    for (const v of aws.violations) this.violations.push(v);
    this.checkEndState();

    const journal = aws.journal;
    const group = lg.game.asgName;
    const starts = journal.filter((e) => e === `asg ${group} desired 0 -> 1`).length;
    const instances = aws.ec2Instances(lg.game.id);
    const billedMs = (from: number, to: number | undefined) => Math.max(MINUTE, (to ?? this.end) - from);
    let instanceMs = 0;
    let cost = 0;
    for (const instance of instances) {
      for (const run of instance.runs) {
        if ((run.to ?? this.end) - run.from <= 0 && run.to !== undefined) continue;
        const ms = billedMs(run.from, run.to);
        instanceMs += ms;
        const perHour = (instance.market === 'spot' ? PRICES.spotPerHour : PRICES.onDemandPerHour) + PRICES.publicIpv4PerHour;
        cost += (ms / (60 * MINUTE)) * perHour;
      }
    }
    return {
      name: trace.name,
      about: trace.about,
      minutes: trace.minutes,
      starts,
      falseWakes: this.falseWakes(),
      stops: journal.filter((e) => e === `asg ${group} desired 1 -> 0`).length,
      restartsAfterStop: this.restartsAfterStop,
      spotInterruptions: this.spotWarned.size,
      launchFailures: this.launchFailures,
      instances: instances.length,
      instanceHours: instanceMs / (60 * MINUTE),
      playableHours: this.duration((s) => s.playable !== undefined) / (60 * MINUTE),
      longestWaitSeconds: Math.round(Math.max(0, ...waits) / SECOND),
      costUsd: cost,
      notices: aws.published.map((p) => p.subject ?? '(no subject)'),
      interruptions: this.interruptions,
      errors: this.errors,
      violations: this.violations,
    };
  }

  /** The lengths of the periods where `holds` is true; a period longer than `limitMs` is a violation. */
  private checkPeriods(_what: string, holds: (s: Sample) => boolean, limitMs: number, say: (minutes: string) => string): number[] {
    const lengths: number[] = [];
    let since: number | undefined;
    const close = (t: number) => {
      if (since === undefined) return;
      const length = t - since;
      lengths.push(length);
      if (length > limitMs) this.violation(say((length / MINUTE).toFixed(1)), since);
      since = undefined;
    };
    for (const s of this.samples) {
      if (holds(s)) since ??= s.t;
      else close(s.t);
    }
    close(this.end);
    return lengths;
  }

  private duration(holds: (s: Sample) => boolean): number {
    let total = 0;
    this.samples.forEach((s, i) => {
      if (holds(s)) total += (this.samples[i + 1]?.t ?? this.end) - s.t;
    });
    return total;
  }

  /** Sessions (group at 1) during which nobody was ever on the game. */
  private falseWakes(): number {
    let count = 0;
    let inSession = false;
    let played = false;
    for (const s of this.samples) {
      if (s.desired >= 1 && !inSession) {
        inSession = true;
        played = false;
      }
      if (inSession && s.playable !== undefined && s.demand > 0) played = true;
      if (s.desired === 0 && inSession) {
        inSession = false;
        if (!played) count++;
      }
    }
    if (inSession && !played) count++;
    return count;
  }

  /** No lost stop, nothing half-done: after the last stop, everything is back as deployed. */
  private checkEndState(): void {
    const { aws, lg } = this;
    const game = lg.game;
    const problems: string[] = [];
    if (aws.group(game.id).desiredCapacity !== 0) problems.push('the group is not at 0');
    const left = Object.entries(aws.instanceStates(game.id));
    if (left.length > 0) problems.push(`instances remain: ${left.map(([id, s]) => `${id} ${s}`).join(', ')}`);
    if (aws.service(game.id).desiredCount !== 0) problems.push('the service still wants a task');
    if (aws.ecs.holdingTasks(game.id).length > 0) problems.push('a game task still runs');
    if (aws.parameter(game.sessionParameterName) !== undefined) problems.push('the session parameter still exists');
    if (aws.parameter(game.pendingWakeParameterName) !== undefined) problems.push('a pending wake is left');
    if (aws.rules.get(game.watchdogRuleName) !== 'DISABLED') problems.push('the watchdog rule is still enabled');
    if (aws.record(game.fqdn, 'A')?.values[0] !== PLACEHOLDER_IPV4) problems.push('the A record does not point at the placeholder');
    if (problems.length > 0) this.violation(`at the end of the trace: ${problems.join('; ')}`, this.end);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

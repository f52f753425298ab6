/**
 * A recorded play trace: the DNS lookups that reached the zone's query log
 * and how many players wanted to be on the server, minute by minute, plus
 * what AWS did to the game (a spot interruption, no spot capacity, failed
 * launches). Traces are JSON files beside this one; `loadTraces` reads and
 * checks every one of them, naming the file and the field at fault.
 *
 * Times are minutes from `start` (fractions allowed: 0.5 is 30 s in).
 * `players` is a step function, `[minute, count]` pairs in order: from that
 * minute on, `count` players want to play. While the game is not playable
 * they wait (and the probe counts 0); once it is, they are on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';

const minute = v.pipe(v.number(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

const LookupSchema = v.object({
  /** When the lookup reached Route53; or, with `afterStop`, seconds after the n-th stop was decided. */
  minute: v.optional(minute),
  /** 1-based: the lookup happens `seconds` after the n-th stop decision (group set to 0). */
  afterStop: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  seconds: v.optional(v.pipe(v.number(), v.minValue(0))),
  /** Query type, e.g. SRV, A, AAAA, TXT. */
  type: v.pipe(v.string(), v.minLength(1)),
  /** Default: the SRV name for SRV lookups, else the game's name. */
  name: v.optional(v.string()),
  /** A player's client, or a scanner/browser (whose lookups must never wake the game). */
  who: v.picklist(['player', 'scanner']),
});

const EventSchema = v.object({
  minute,
  /** EC2 gives the running spot instance its two-minute warning. */
  spotInterruption: v.optional(v.literal(true)),
  /** Spot capacity in the group's zone from then on. */
  spotCapacity: v.optional(v.boolean()),
  /** The next n launches fail whatever the market. */
  failLaunches: v.optional(count),
});

export const TraceSchema = v.object({
  name: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/)),
  about: v.pipe(v.string(), v.minLength(1)),
  start: v.pipe(v.string(), v.isoTimestamp()),
  /** How long the trace runs (the last stop must have ended by then). */
  minutes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  game: v.object({
    idleMinutes: v.pipe(v.number(), v.minValue(1)),
    startupMinutes: v.optional(v.pipe(v.number(), v.minValue(1))),
    maxHours: v.optional(v.pipe(v.number(), v.minValue(0))),
    stopAfterMaxHours: v.optional(v.boolean()),
    spot: v.optional(v.boolean()),
    warmPool: v.optional(v.boolean()),
    wakeOn: v.optional(v.array(v.string())),
    /** Minecraft-style SRV record; default true. */
    srv: v.optional(v.boolean()),
    stopTimeoutSeconds: v.optional(v.number()),
  }),
  /** How long AWS takes (seconds); see FakeTiming. */
  timing: v.optional(
    v.object({
      bootSeconds: v.optional(v.number()),
      agentSeconds: v.optional(v.number()),
      taskStartSeconds: v.optional(v.number()),
      taskStopSeconds: v.optional(v.number()),
      launchRetrySeconds: v.optional(v.number()),
    }),
  ),
  lookups: v.array(LookupSchema),
  players: v.array(v.tuple([minute, count])),
  events: v.optional(v.array(EventSchema)),
  /** What this trace is about, checked by the test (on top of the invariants every trace must keep). */
  expect: v.optional(
    v.object({
      starts: v.optional(count),
      falseWakes: v.optional(count),
      stops: v.optional(count),
      spotInterruptions: v.optional(count),
      launchFailures: v.optional(count),
      restartsAfterStop: v.optional(count),
      /** Distinct EC2 instances used (a warm pool reuses one). */
      instances: v.optional(count),
    }),
  ),
});
export type Trace = v.InferOutput<typeof TraceSchema>;
export type TraceLookup = v.InferOutput<typeof LookupSchema>;

export const TRACES_DIR = __dirname;

export function parseTrace(json: unknown, file: string): Trace {
  const result = v.safeParse(TraceSchema, json);
  if (!result.success) {
    throw new Error(`trace ${file} is not valid: ${result.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`).join('; ')}`);
  }
  const trace = result.output;
  const problems: string[] = [];
  trace.players.forEach(([at], i) => {
    const previous = trace.players[i - 1];
    if (previous && previous[0] >= at) problems.push(`players[${i}]: minutes must increase (${previous[0]} then ${at})`);
  });
  trace.lookups.forEach((l, i) => {
    if ((l.minute === undefined) === (l.afterStop === undefined)) problems.push(`lookups[${i}]: give either minute or afterStop (with seconds)`);
  });
  if (problems.length > 0) throw new Error(`trace ${file} is not valid: ${problems.join('; ')}`);
  return trace;
}

/** Every trace file of the folder, by name. */
export function loadTraces(dir: string = TRACES_DIR): Trace[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseTrace(JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown, f));
}

/** Players who want to play at `minuteFromStart`. */
export function demandAt(trace: Trace, minuteFromStart: number): number {
  let players = 0;
  for (const [at, n] of trace.players) {
    if (at > minuteFromStart) break;
    players = n;
  }
  return players;
}

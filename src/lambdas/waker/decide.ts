/**
 * The waker's decisions, on plain data: read a CloudWatch Logs subscription
 * event, parse the Route53 query-log lines it carries, find the games those
 * queries wake, and decide what a handled batch means (metrics, retry). No
 * AWS calls, no clock, no logging here.
 *
 * Formats, as AWS documents them:
 * - the event: `{"awslogs":{"data":"<base64 of gzip of JSON>"}}`, the JSON
 *   being `{messageType, owner, logGroup, logStream, subscriptionFilters,
 *   logEvents:[{id, timestamp, message}]}`; `CONTROL_MESSAGE` batches only
 *   check that the destination is reachable
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html);
 * - each message: one public DNS query-log line,
 *   `1.0 2017-12-13T08:15:50.235Z Z123412341234 example.com A NOERROR UDP FRA6 192.168.1.1 -`
 *   (version, timestamp, hosted zone, query name, query type, response code,
 *   protocol, edge location, resolver IP, EDNS client subnet)
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsLogEvent } from 'aws-lambda';
import type { WakeRoute } from '../../runtime/routes';
import type { GroupInstance, Session } from '../../runtime/session';
import { secondsBetween } from '../../runtime/times';

// ---------------------------------------------------------------- the event

export type EventReading =
  | { readonly ok: true; readonly payload: CloudWatchLogsDecodedData }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads `event.awslogs.data` (base64 of gzip of JSON). Never throws: an event
 * that is not a subscription payload is `{ok: false}` with the problem, so the
 * caller skips and counts it (a retry would fail the same way).
 */
export function readSubscriptionEvent(event: unknown): EventReading {
  const awslogs = isRecord(event) ? event.awslogs : undefined;
  const data = isRecord(awslogs) ? awslogs.data : undefined;
  if (typeof data !== 'string' || data === '') {
    return { ok: false, problem: 'the event has no awslogs.data string (the waker is invoked by a CloudWatch Logs subscription filter)' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (e) {
    return { ok: false, problem: `awslogs.data is not base64-encoded gzip JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRecord(parsed) || typeof parsed.messageType !== 'string' || !Array.isArray(parsed.logEvents)) {
    return { ok: false, problem: 'awslogs.data decodes to JSON without messageType and logEvents; it is not a CloudWatch Logs subscription payload' };
  }
  return { ok: true, payload: parsed as unknown as CloudWatchLogsDecodedData };
}

/** The inverse of readSubscriptionEvent: `awslogs.data` for tests, sample events and local runs. */
export function encodeLogsPayload(
  payload: Pick<CloudWatchLogsDecodedData, 'messageType' | 'logEvents'> & Partial<CloudWatchLogsDecodedData>,
): string {
  const full: CloudWatchLogsDecodedData = {
    owner: '123456789012',
    logGroup: '/aws/route53/example.com',
    logStream: 'Z0123456789ABC/FRA6',
    subscriptionFilters: ['gm-waker'],
    ...payload,
  };
  return gzipSync(Buffer.from(JSON.stringify(full))).toString('base64');
}

// ---------------------------------------------------------------- lines

/** One Route53 query-log line, with the name and type normalised for matching. */
export interface QueryLogLine {
  /** ISO 8601, as logged. */
  readonly timestamp: string;
  readonly hostedZoneId: string;
  /** Lower case, trailing dot removed. */
  readonly queryName: string;
  /** Upper case (A, AAAA, SRV…). */
  readonly queryType: string;
  readonly responseCode: string;
  readonly protocol: string;
  readonly edgeLocation: string;
  readonly resolverIp: string;
}

const VERSION = /^\d+\.\d+$/;
const QUERY_TYPE = /^[A-Za-z0-9]+$/;
/** Route53 logs times as `2017-12-13T08:15:50.235Z`; a bare date or a local time is not a query-log line. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses one query-log line (see the header); undefined for anything else. */
export function parseQueryLogLine(line: string): QueryLogLine | undefined {
  const fields = line.trim().split(/\s+/);
  // The EDNS client subnet column is the only one Route53 may leave off; extra columns from a future format are ignored.
  if (fields.length < 9) return undefined;
  const [version, timestamp, hostedZoneId, rawName, rawType, responseCode, protocol, edgeLocation, resolverIp] = fields as [
    string, string, string, string, string, string, string, string, string,
  ];
  if (!VERSION.test(version) || !TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp)) || !QUERY_TYPE.test(rawType)) {
    return undefined;
  }
  const queryName = normaliseName(rawName);
  if (queryName === '') return undefined;
  return { timestamp, hostedZoneId, queryName, queryType: rawType.toUpperCase(), responseCode, protocol, edgeLocation, resolverIp };
}

/** DNS names compare case-insensitively, and `name.` is the same name as `name`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, '');
}

export interface ParsedBatch {
  readonly lines: readonly QueryLogLine[];
  readonly malformed: number;
  /** The first malformed message (cut to 200 characters), to show in the log. */
  readonly malformedExample?: string;
}

/** Keeps the query-log lines; counts (never throws on) log events that are not one. */
export function parseBatch(events: readonly unknown[]): ParsedBatch {
  const lines: QueryLogLine[] = [];
  let malformed = 0;
  let malformedExample: string | undefined;
  for (const event of events) {
    const message = isRecord(event) ? (event as Partial<CloudWatchLogsLogEvent>).message : undefined;
    const line = typeof message === 'string' ? parseQueryLogLine(message) : undefined;
    if (line) {
      lines.push(line);
    } else {
      malformed++;
      malformedExample ??= String(typeof message === 'string' ? message : JSON.stringify(event)).slice(0, 200);
    }
  }
  return malformedExample === undefined ? { lines, malformed } : { lines, malformed, malformedExample };
}

// ---------------------------------------------------------------- matching

export interface GameMatch {
  readonly route: WakeRoute;
  /** The earliest matching query (by its timestamp: events may arrive out of order). */
  readonly first: QueryLogLine;
  /** How many lines of the batch matched this game. */
  readonly count: number;
}

/** The games the lines wake, once each: name among the route's `names` and type among its `wakeOn`. */
export function matchRoutes(lines: readonly QueryLogLine[], routes: readonly WakeRoute[]): GameMatch[] {
  const byName = new Map<string, { route: WakeRoute; types: ReadonlySet<string> }[]>();
  for (const route of routes) {
    const types = new Set(route.wakeOn.map((t) => t.toUpperCase()));
    for (const name of new Set(route.names.map(normaliseName))) {
      const list = byName.get(name) ?? [];
      list.push({ route, types });
      byName.set(name, list);
    }
  }

  const matches = new Map<string, GameMatch>();
  for (const line of lines) {
    for (const { route, types } of byName.get(line.queryName) ?? []) {
      if (!types.has(line.queryType)) continue;
      const previous = matches.get(route.id);
      if (!previous) {
        matches.set(route.id, { route, first: line, count: 1 });
      } else {
        const earlier = Date.parse(line.timestamp) < Date.parse(previous.first.timestamp) ? line : previous.first;
        matches.set(route.id, { route, first: earlier, count: previous.count + 1 });
      }
    }
  }
  return [...matches.values()];
}

/** What a wake asks `requestStart` for: the lookup that woke the game, for the session and the "ready in" time. */
export function lookupOf(match: GameMatch): { readonly lookupAt: string; readonly query: string } {
  return { lookupAt: new Date(match.first.timestamp).toISOString(), query: `${match.first.queryName} ${match.first.queryType}` };
}

// ---------------------------------------------------------------- outcomes

export type GameOutcome =
  /** This invocation started the game (and announced it, unless `noticeError`). */
  | { readonly game: string; readonly result: 'started'; readonly match: GameMatch; readonly session: Session; readonly noticeError?: Error }
  /** Running, starting, or started by a concurrent request: nothing to do. */
  | { readonly game: string; readonly result: 'already-up'; readonly match: GameMatch }
  /** Recorded while the previous host stops; the end of the stop starts the game. */
  | { readonly game: string; readonly result: 'deferred'; readonly match: GameMatch; readonly stopping: readonly GroupInstance[] }
  | { readonly game: string; readonly result: 'missing'; readonly match: GameMatch }
  | { readonly game: string; readonly result: 'failed'; readonly match: GameMatch; readonly error: Error };

export type GameResult = GameOutcome['result'];

/** One count to publish; `game` becomes the `game` dimension. */
export interface Count {
  readonly name: MetricName;
  readonly value: number;
  readonly game?: string;
}

export type MetricName =
  | 'Wakes'
  | 'WakeDeferred'
  | 'WakeGroupMissing'
  | 'WakeFailures'
  | 'NotifyFailures'
  | 'MalformedLines'
  | 'MalformedEvents';

/** The counts worth paying for: only what happened (a lookup of a running game publishes nothing). */
export function outcomeCounts(outcomes: readonly GameOutcome[], malformedLines: number): Count[] {
  const counts: Count[] = [];
  if (malformedLines > 0) counts.push({ name: 'MalformedLines', value: malformedLines });
  for (const outcome of outcomes) {
    const game = outcome.game;
    switch (outcome.result) {
      case 'started':
        counts.push({ name: 'Wakes', value: 1, game });
        if (outcome.noticeError) counts.push({ name: 'NotifyFailures', value: 1, game });
        break;
      case 'deferred':
        counts.push({ name: 'WakeDeferred', value: 1, game });
        break;
      case 'missing':
        counts.push({ name: 'WakeGroupMissing', value: 1, game });
        break;
      case 'failed':
        counts.push({ name: 'WakeFailures', value: 1, game });
        break;
      case 'already-up':
        break;
    }
  }
  return counts;
}

/**
 * The games whose wake failed (AWS errors after the SDK's retries): the batch
 * goes back to Lambda, whose retry repeats it (harmless: the session claim
 * keeps a second start from happening). Empty when the batch is done.
 */
export function failedOutcomes(outcomes: readonly GameOutcome[]): Extract<GameOutcome, { result: 'failed' }>[] {
  return outcomes.filter((o): o is Extract<GameOutcome, { result: 'failed' }> => o.result === 'failed');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lookup → wake call of each game this invocation started from a lookup, in whole seconds (never negative). */
export function wakeDelays(outcomes: readonly GameOutcome[]): { readonly game: string; readonly seconds: number }[] {
  return outcomes.flatMap((o) => {
    if (o.result !== 'started' || o.session.lookupAt === undefined) return [];
    return [{ game: o.game, seconds: secondsBetween(o.session.lookupAt, o.session.startedAt) }];
  });
}

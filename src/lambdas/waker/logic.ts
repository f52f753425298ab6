/**
 * The waker's decisions, as pure functions: decode a CloudWatch Logs
 * subscription payload, parse Route53 query-log lines, find the games those
 * queries belong to, and decide from an Auto Scaling group's description
 * whether to wake it. No AWS calls here.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData } from 'aws-lambda';
import type { WakeTarget } from '../../runtime/contract';

// ---------------------------------------------------------------- payload

/** Decodes `event.awslogs.data` (base64 of gzip of JSON). Throws when it is not a CloudWatch Logs payload. */
export function decodeLogsPayload(data: string): CloudWatchLogsDecodedData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (e) {
    throw new Error(
      `awslogs.data is not base64-encoded gzip JSON (${(e as Error).message}); ` +
        'the waker expects the event a CloudWatch Logs subscription filter sends',
    );
  }
  if (!isRecord(parsed) || typeof parsed.messageType !== 'string' || !Array.isArray(parsed.logEvents)) {
    throw new Error('awslogs.data decodes to JSON without messageType and logEvents; it is not a CloudWatch Logs subscription payload');
  }
  return parsed as unknown as CloudWatchLogsDecodedData;
}

/** The inverse of decodeLogsPayload: builds `awslogs.data` for tests and local runs. */
export function encodeLogsPayload(payload: Pick<CloudWatchLogsDecodedData, 'messageType' | 'logEvents'> & Partial<CloudWatchLogsDecodedData>): string {
  const full: CloudWatchLogsDecodedData = {
    owner: '000000000000',
    logGroup: '/aws/route53/example.com',
    logStream: 'example.com/edge',
    subscriptionFilters: ['gm-waker'],
    ...payload,
  };
  return gzipSync(Buffer.from(JSON.stringify(full))).toString('base64');
}

// ---------------------------------------------------------------- lines

/** One Route53 query-log line, with the name and type normalised for matching. */
export interface QueryLogLine {
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

/**
 * Parses `1.0 2017-12-13T08:15:50.235Z Z123 mc.example.com A NOERROR UDP FRA6 192.168.1.1 -`
 * (version, timestamp, zone, name, type, rcode, protocol, edge, resolver, EDNS subnet).
 * Returns undefined for anything else.
 */
export function parseQueryLogLine(line: string): QueryLogLine | undefined {
  const fields = line.trim().split(/\s+/);
  // The EDNS client subnet column is the only one Route53 may leave off; extra columns from a future format are ignored.
  if (fields.length < 9) return undefined;
  const [version, timestamp, hostedZoneId, rawName, rawType, responseCode, protocol, edgeLocation, resolverIp] = fields as [
    string, string, string, string, string, string, string, string, string,
  ];
  if (!VERSION.test(version) || Number.isNaN(Date.parse(timestamp)) || !QUERY_TYPE.test(rawType)) return undefined;
  const queryName = normaliseName(rawName);
  if (queryName === '') return undefined;
  return {
    timestamp,
    hostedZoneId,
    queryName,
    queryType: rawType.toUpperCase(),
    responseCode,
    protocol,
    edgeLocation,
    resolverIp,
  };
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

export function parseBatch(messages: readonly string[]): ParsedBatch {
  const lines: QueryLogLine[] = [];
  let malformed = 0;
  let malformedExample: string | undefined;
  for (const message of messages) {
    const line = typeof message === 'string' ? parseQueryLogLine(message) : undefined;
    if (line) {
      lines.push(line);
    } else {
      malformed++;
      malformedExample ??= String(message).slice(0, 200);
    }
  }
  return malformedExample === undefined ? { lines, malformed } : { lines, malformed, malformedExample };
}

// ---------------------------------------------------------------- matching

export interface GameMatch {
  readonly target: WakeTarget;
  /** The earliest matching query (by its timestamp; events may arrive out of order). */
  readonly first: QueryLogLine;
  /** How many lines of the batch matched this game. */
  readonly count: number;
}

/** Groups the lines by the game they wake: name among its `names` and type among its `wakeOn`. */
export function matchGames(lines: readonly QueryLogLine[], targets: readonly WakeTarget[]): Map<string, GameMatch> {
  const byName = new Map<string, { target: WakeTarget; types: ReadonlySet<string> }[]>();
  for (const target of targets) {
    const types = new Set(target.wakeOn.map((t) => t.toUpperCase()));
    for (const name of new Set(target.names.map(normaliseName))) {
      const list = byName.get(name) ?? [];
      list.push({ target, types });
      byName.set(name, list);
    }
  }

  const matches = new Map<string, GameMatch>();
  for (const line of lines) {
    for (const { target, types } of byName.get(line.queryName) ?? []) {
      if (!types.has(line.queryType)) continue;
      const previous = matches.get(target.id);
      if (!previous) {
        matches.set(target.id, { target, first: line, count: 1 });
      } else {
        const earlier = Date.parse(line.timestamp) < Date.parse(previous.first.timestamp) ? line : previous.first;
        matches.set(target.id, { target, first: earlier, count: previous.count + 1 });
      }
    }
  }
  return matches;
}

// ---------------------------------------------------------------- decision

/** What the waker needs from DescribeAutoScalingGroups. */
export interface GroupSnapshot {
  readonly desiredCapacity: number;
  readonly instances: readonly { readonly instanceId: string; readonly lifecycleState: string }[];
}

export type WakeDecision = 'wake' | 'already-up' | 'terminating' | 'missing';

/**
 * - no group → 'missing';
 * - desired ≥ 1 → 'already-up' (running or starting: nothing to do);
 * - an instance is still leaving the group → 'terminating': a new host now
 *   would mount the world while the old one still has it. That is any
 *   `Terminating*` state, and, at desired 0, any instance not yet gone (the
 *   scale-in has been asked for but the instance has not reached Terminating
 *   yet, or it sits in Standby and still runs);
 * - otherwise 'wake'.
 */
export function decideWake(group: GroupSnapshot | undefined): WakeDecision {
  if (!group) return 'missing';
  if (group.desiredCapacity >= 1) return 'already-up';
  if (group.instances.some((i) => blocksWake(i.lifecycleState))) return 'terminating';
  return 'wake';
}

/** The instances that make a wake unsafe at desired 0 (see decideWake). */
export function blockingInstances(group: GroupSnapshot): GroupSnapshot['instances'] {
  return group.instances.filter((i) => blocksWake(i.lifecycleState));
}

function blocksWake(lifecycleState: string): boolean {
  // Terminated instances are gone; warm-pool instances never run the game.
  return lifecycleState !== 'Terminated' && !lifecycleState.startsWith('Warmed:');
}

// ---------------------------------------------------------------- notices and config

export interface Notice {
  readonly subject: string;
  readonly message: string;
}

/** The "starting" notice: which query woke the game, so a surprise wake can be traced. */
export function startingNotice(match: GameMatch): Notice {
  const { target, first, count } = match;
  const others = count > 1 ? ` (${count} matching queries in this batch)` : '';
  return {
    // SNS subjects are at most 100 characters.
    subject: `starting ${target.fqdn}`.slice(0, 100),
    message:
      `Starting ${target.fqdn}: a ${first.queryType} query for ${first.queryName} at ${first.timestamp} ` +
      `through edge location ${first.edgeLocation} (resolver ${first.resolverIp}) woke it${others}. ` +
      'It is usually ready in one to three minutes.',
  };
}

/** `arn:aws:sns:eu-west-1:123456789012:gm-alerts` → `eu-west-1`. */
export function regionFromArn(arn: string): string {
  const region = arn.split(':')[3];
  if (!arn.startsWith('arn:') || !region) {
    throw new Error(`GM_TOPIC_ARN "${arn}" is not an ARN with a region (expected arn:aws:sns:<region>:<account>:<topic>)`);
  }
  return region;
}

/** Checks the shape of `GM_GAMES`; the error names the game and field to fix. */
export function parseWakeTargets(value: unknown): WakeTarget[] {
  if (!Array.isArray(value)) throw new Error('GM_GAMES must be a JSON array of games ({id, names, wakeOn, asgName, fqdn})');
  return value.map((item: unknown, index) => {
    const where = `GM_GAMES[${index}]`;
    if (!isRecord(item)) throw new Error(`${where} must be an object with id, names, wakeOn, asgName and fqdn`);
    for (const key of ['id', 'asgName', 'fqdn'] as const) {
      if (typeof item[key] !== 'string' || item[key] === '') throw new Error(`${where}.${key} must be a non-empty string`);
    }
    for (const key of ['names', 'wakeOn'] as const) {
      const list = item[key];
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
        throw new Error(`${where}.${key} must be a non-empty array of strings`);
      }
    }
    return item as unknown as WakeTarget;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

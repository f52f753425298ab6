import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { encodeLogsPayload } from '../../../src/lambdas/waker/decide';
import type { WakeRoute } from '../../../src/runtime/routes';

export const GAME_REGION = 'eu-central-1';
export const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:gm-alerts';

export const MINECRAFT: WakeRoute = {
  id: 'minecraft',
  fqdn: 'mc.example.com',
  names: ['mc.example.com', '_minecraft._tcp.mc.example.com'],
  wakeOn: ['SRV'],
  asgName: 'gm-minecraft-asg',
  sessionParameterName: '/gm/minecraft/session',
  pendingWakeParameterName: '/gm/minecraft/pending-wake',
};

export const VALHEIM: WakeRoute = {
  id: 'valheim',
  fqdn: 'valheim.example.com',
  names: ['valheim.example.com'],
  wakeOn: ['A', 'AAAA'],
  asgName: 'gm-valheim-asg',
  sessionParameterName: '/gm/valheim/session',
  pendingWakeParameterName: '/gm/valheim/pending-wake',
};

/** Another game of the zone, woken by A lookups of `<id>.example.com`. */
export function route(id: string): WakeRoute {
  return {
    id,
    fqdn: `${id}.example.com`,
    names: [`${id}.example.com`],
    wakeOn: ['A'],
    asgName: `gm-${id}-asg`,
    sessionParameterName: `/gm/${id}/session`,
    pendingWakeParameterName: `/gm/${id}/pending-wake`,
  };
}

/**
 * A Route53 public DNS query-log line in the documented format
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html):
 * version, timestamp, hosted zone, query name, type, response code, protocol, edge location, resolver IP, EDNS client subnet.
 */
export function queryLine(name: string, type: string, opts: { time?: string; edge?: string; resolver?: string } = {}): string {
  return `1.0 ${opts.time ?? '2024-05-01T10:00:00.000Z'} Z0123456789ABC ${name} ${type} NOERROR UDP ${opts.edge ?? 'FRA6'} ${opts.resolver ?? '198.51.100.7'} -`;
}

export const MC_SRV = queryLine('_minecraft._tcp.mc.example.com', 'SRV');
export const VH_A = queryLine('valheim.example.com', 'A');

/** The event a CloudWatch Logs subscription filter invokes Lambda with: `awslogs.data` = base64(gzip(JSON)). */
export function logsEvent(messages: readonly string[], messageType = 'DATA_MESSAGE'): CloudWatchLogsEvent {
  return {
    awslogs: {
      data: encodeLogsPayload({
        messageType,
        logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1714557600000 + i, message })),
      }),
    },
  };
}

/** Writes a routes.json in a fresh temporary folder; returns its path. */
export function writeRoutesFile(routes: unknown, text?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gm-waker-')), 'routes.json');
  writeFileSync(file, text ?? JSON.stringify(routes));
  return file;
}

/** The waker's environment, as the constructs write it, with a routes file. */
export function wakerEnv(routes: readonly WakeRoute[] = [MINECRAFT, VALHEIM], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { GM_GAME_REGION: GAME_REGION, GM_TOPIC_ARN: TOPIC_ARN, GM_ROUTES_FILE: writeRoutesFile(routes), ...extra };
}

export const NOW = new Date('2024-05-01T10:00:03.000Z');

/** An AWS SDK error as the SDK throws it after its retries (name = error code). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

export const THROTTLED = () => awsError('ThrottlingException', 'Rate exceeded');
export const SERVER_ERROR = () => awsError('InternalFailure', 'We encountered an internal error. Please try again.', 500);
/** What the SDK throws when an attempt outlives the client's request timeout. */
export const TIMED_OUT = () => awsError('TimeoutError', 'Connection timed out after 10000 ms', 0);

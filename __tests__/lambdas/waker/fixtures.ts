import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { WakeTarget } from '../../../src/runtime/contract';
import { encodeLogsPayload } from '../../../src/lambdas/waker/logic';

export const MINECRAFT: WakeTarget = {
  id: 'minecraft',
  names: ['mc.example.com', '_minecraft._tcp.mc.example.com'],
  wakeOn: ['SRV'],
  asgName: 'gm-minecraft-asg',
  fqdn: 'mc.example.com',
};

export const VALHEIM: WakeTarget = {
  id: 'valheim',
  names: ['valheim.example.com'],
  wakeOn: ['A', 'AAAA'],
  asgName: 'gm-valheim-asg',
  fqdn: 'valheim.example.com',
};

/** A Route53 query-log line in the documented format. */
export function queryLine(name: string, type: string, opts: { time?: string; edge?: string; resolver?: string } = {}): string {
  return `1.0 ${opts.time ?? '2024-05-01T10:00:00.000Z'} Z0123456789ABC ${name} ${type} NOERROR UDP ${opts.edge ?? 'FRA6'} ${opts.resolver ?? '198.51.100.7'} -`;
}

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

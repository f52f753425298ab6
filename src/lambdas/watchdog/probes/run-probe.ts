/** Runs the probe the game is configured with against its instance. */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { RuntimeGame } from '../../../runtime/contract';
import type { GameInstance } from '../instance';
import { probeByConnections, DEFAULT_POLL, type PollOptions } from './connections';
import type { ProbeResult } from './probe-result';
import { probeByQuery } from './query';
import { probeByTraffic } from './traffic';

/** Upper bound for one game query; a game that needs longer is as good as unreachable this minute. */
export const QUERY_TIMEOUT_MS = 5_000;

export interface ProbeClients {
  readonly ssm: () => SSMClient;
  readonly cloudWatch: () => CloudWatchClient;
}

export async function runProbe(
  game: RuntimeGame,
  instance: GameInstance,
  clients: ProbeClients,
  now: Date,
  poll: PollOptions = DEFAULT_POLL,
): Promise<ProbeResult> {
  const probe = game.probe;
  switch (probe.type) {
    case 'query': {
      const host = instance.publicIpv4 ?? instance.ipv6;
      if (!host) return { ok: false, error: `instance ${instance.instanceId} has no public IPv4 or IPv6 address yet` };
      return probeByQuery({ type: probe.game, host, port: probe.port, timeoutMs: QUERY_TIMEOUT_MS });
    }
    case 'connections':
      return probeByConnections(clients.ssm(), { instanceId: instance.instanceId, documentName: game.connectionsDocumentName, ports: game.ports }, poll);
    case 'traffic':
      return probeByTraffic(clients.cloudWatch(), { instanceId: instance.instanceId, bytesPerMinute: probe.bytesPerMinute }, now);
  }
}

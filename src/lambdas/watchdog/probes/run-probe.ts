/** Runs the probe the game is configured with, once, against its instance. */
import type { GameView } from '../../../runtime/game';
import type { Clock } from '../../shared/poll';
import { step } from '../../shared/steps';
import type { ProbeHost } from '../decide';
import { probeByConnections } from './connections';
import type { ProbeResult } from './probe-result';
import { probeByQuery } from './query';
import { probeByTraffic } from './traffic';

/** Upper bound for one game query; a game that needs longer is as good as unreachable this time. */
export const QUERY_TIMEOUT_MS = 5_000;

export type ProbeGame = Pick<GameView<'watchdog'>, 'probe' | 'connectionsDocumentName' | 'ports'>;

/**
 * `host` finds the address to query (query probes only); `deadlineMs` bounds
 * the probe's own waiting.
 */
export async function runProbe(game: ProbeGame, instanceId: string, host: () => Promise<ProbeHost>, clock: Clock, deadlineMs: number): Promise<ProbeResult> {
  const probe = game.probe;
  switch (probe.type) {
    case 'query': {
      const target = await host();
      if ('error' in target) return { ok: false, error: target.error };
      return step('query game', () => probeByQuery({ type: probe.game, host: target.host, port: probe.port, timeoutMs: Math.min(QUERY_TIMEOUT_MS, deadlineMs) }));
    }
    case 'connections':
      return probeByConnections({ instanceId, documentName: game.connectionsDocumentName, ports: game.ports }, clock, deadlineMs);
    case 'traffic':
      return probeByTraffic({ instanceId, bytesPerMinute: probe.bytesPerMinute }, new Date(clock.now()));
  }
}

/**
 * The `query` probe: asks the game itself how many players are online, in
 * the game's own query (Minecraft Java/Bedrock status, Steam A2S_INFO; see
 * query-games.ts for the game ids). Used by the watchdog and by `gm probe`.
 */
import { probeFailure, type ProbeResult } from './probe-result';
import { queryProtocolOf, QUERY_GAMES, type QueryProtocol } from '../../../runtime/query-games';

export interface QueryTarget {
  /** gamedig game id, e.g. "minecraft" or "valheim". */
  readonly type: string;
  readonly host: string;
  readonly port: number;
  /** Upper bound for one query, in ms. */
  readonly timeoutMs: number;
}

export interface QueryAnswer {
  readonly players: number;
  readonly latencyMs: number;
}

type Query = (host: string, port: number, timeoutMs: number) => Promise<number>;

/**
 * Each protocol's code is loaded when a game first needs it, so a function
 * whose game uses another probe never evaluates any of it.
 */
const PROTOCOLS: Record<QueryProtocol, () => Promise<Query>> = {
  minecraft: async () => (await import('./protocols/minecraft')).queryMinecraft,
  valve: async () => (await import('./protocols/valve')).queryValve,
};

export class UnknownQueryGameError extends Error {
  constructor(type: string) {
    super(`the query probe does not speak the query of game "${type}": it knows the ${QUERY_GAMES.size} gamedig ids of `
      + 'Minecraft (Java and Bedrock) and of the Steam games (A2S), listed in src/runtime/query-games.ts; '
      + 'use the probe type "connections", which counts players on the host for any game');
    this.name = 'UnknownQueryGameError';
  }
}

/**
 * Queries the game server once; throws when it does not answer within
 * `timeoutMs` (the error names the query, the address and the cause).
 */
export async function queryPlayers({ type, host, port, timeoutMs }: QueryTarget): Promise<QueryAnswer> {
  const protocol = queryProtocolOf(type);
  if (!protocol) throw new UnknownQueryGameError(type);
  const query = await PROTOCOLS[protocol]();
  const started = performance.now();
  try {
    const players = await query(host, port, timeoutMs);
    return { players, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    throw new Error(`no answer to the ${type} query at ${host}:${port} within ${timeoutMs} ms (${(e as Error).message}); `
      + 'check that the game is up and that the port is the query port');
  }
}

/** The watchdog's form of the query: never throws. */
export async function probeByQuery(target: QueryTarget): Promise<ProbeResult> {
  try {
    const { players, latencyMs } = await queryPlayers(target);
    return { ok: true, players, latencyMs };
  } catch (e) {
    return probeFailure(e);
  }
}

/**
 * `gm probe`: asks a game server for its player count the way the watchdog's
 * `query` probe does, and prints one JSON line a script can read.
 */
import { unknownQueryGame } from '../../config/schema';
import { queryProtocolOf } from '../../runtime/query-games';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command';
import type { CliIo } from '../io';
import { parseInteger, parseOptions } from '../parse-options';

export interface ProbeRequest {
  readonly type: string;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

export type QueryPlayers = (request: ProbeRequest) => Promise<{ players: number; latencyMs: number }>;

const DEFAULT_TYPE = 'minecraft';
const DEFAULT_TIMEOUT_MS = 5000;

const USAGE = `usage: gm probe --host <host> --port <port> [--type <gamedig id>] [--timeout <ms>]
  --host      address of the game server (name or IP)
  --port      its query port (for Minecraft Java the game port, e.g. 25565)
  --type      gamedig game id (default ${DEFAULT_TYPE}); e.g. mbe (Minecraft Bedrock), valheim, rust:
              Minecraft and the Steam (A2S) games, as the watchdog's query probe knows them
  --timeout   milliseconds to wait for an answer (default ${DEFAULT_TIMEOUT_MS})
Prints {"reachable":true,"players":<n>,"latencyMs":<ms>} and exits 0, or
{"reachable":false,"error":"…"} and exits 1 when nothing answers.`;

// Loaded on use: the other commands do not need the game queries.
async function loadQueryPlayers(): Promise<QueryPlayers> {
  const { queryPlayers } = await import('../../lambdas/watchdog/probes/query');
  return queryPlayers;
}

export function parseProbeArgs(args: readonly string[]): ProbeRequest {
  const { values, positionals } = parseOptions(args, {
    type: { type: 'string', default: DEFAULT_TYPE },
    host: { type: 'string' },
    port: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.host) throw new UsageError('--host is required');
  if (!values.port) throw new UsageError('--port is required');
  const type = values.type ?? DEFAULT_TYPE;
  if (!queryProtocolOf(type)) {
    // The same sentence synth gives for the config's probe.game, with its "did you mean".
    throw new UsageError(`--type ${type}: ${unknownQueryGame(type)}`);
  }
  return {
    type,
    host: values.host,
    port: parseInteger(values.port, '--port', 1, 65535),
    timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseInteger(values.timeout, '--timeout', 1, 600_000),
  };
}

export async function runProbe(args: readonly string[], io: CliIo, query: () => Promise<QueryPlayers> = loadQueryPlayers): Promise<number> {
  const request = parseProbeArgs(args);
  const queryPlayers = await query();
  try {
    const { players, latencyMs } = await queryPlayers(request);
    io.out(JSON.stringify({ reachable: true, players, latencyMs: Math.round(latencyMs) }));
    return EXIT_OK;
  } catch (e) {
    // One line whatever the library threw: scripts parse this output.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    io.out(JSON.stringify({ reachable: false, error: message || 'no answer' }));
    return EXIT_FAILED;
  }
}

export const probeCommand: Command = {
  name: 'probe',
  summary: "ask a game server for its player count (one JSON line), as the watchdog's query probe does",
  usage: USAGE,
  run: (args, io) => runProbe(args, io),
};

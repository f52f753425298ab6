/**
 * The `query` probe: asks the game itself how many players are online
 * (Minecraft server-list ping, Steam A2S, Bedrock RakNet… through gamedig).
 */
import { probeFailure, type ProbeResult } from './probe-result';

export interface QueryTarget {
  /** gamedig game id, e.g. "minecraft" (see gamedig's GAMES_LIST.md). */
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

type GameDigModule = typeof import('gamedig');

/**
 * gamedig is loaded on first use, with a plain `import()`, so functions whose
 * games use another probe never pay for loading it. The plain form matters:
 * - esbuild sees it and bundles gamedig into the Lambda file (resolving the
 *   package's "import" entry, its ES module source);
 * - the CommonJS test transform turns it into `require('gamedig')`, which
 *   resolves the package's "require" entry, the CommonJS build gamedig 5
 *   ships, so tests run the same library without ES module support in jest.
 * Hiding it from the compilers (`new Function('m', 'return import(m)')`) would
 * keep gamedig out of the bundle, and the deployed function would fail to
 * find it.
 */
let gamedig: Promise<GameDigModule> | undefined;
function loadGameDig(): Promise<GameDigModule> {
  gamedig ??= import('gamedig');
  return gamedig;
}

/**
 * Queries the game server; throws when it does not answer within `timeoutMs`
 * (the error says what failed). Used by the watchdog and by `gm probe`.
 */
export async function queryPlayers({ type, host, port, timeoutMs }: QueryTarget): Promise<QueryAnswer> {
  const { GameDig } = await loadGameDig();
  const started = performance.now();
  const result = await GameDig.query({
    type,
    host,
    port,
    // One attempt on the given port: the security group opens only the
    // game's ports, and the schedule retries a minute later anyway.
    maxRetries: 1,
    givenPortOnly: true,
    // Some types run several protocols at once (minecraft: Java ping plus
    // two UDP queries) and wait for each socket's timeout; the attempt
    // must outlast them or it fails even when the game answered.
    socketTimeout: Math.min(2000, Math.floor(timeoutMs / 2)),
    attemptTimeout: timeoutMs,
  }).catch((e: unknown) => {
    throw new Error(`no answer to the ${type} query at ${host}:${port} within ${timeoutMs} ms (${innermostCause(e)}); `
      + 'check that the game is up and that the port is the query port');
  });
  // gamedig's results default numplayers to 0 when a protocol reports only
  // names, and Minecraft sends only a sample of names: take the larger.
  const players = Math.max(result.numplayers, result.players.length);
  const latencyMs = Number.isFinite(result.ping) && result.ping > 0 ? result.ping : performance.now() - started;
  return { players, latencyMs: Math.round(latencyMs) };
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

/**
 * gamedig reports "Failed all 1 attempts" and appends each attempt's error to
 * the stack; the last "…Error: …" line there is what actually went wrong.
 */
function innermostCause(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const causes = (e.stack ?? '').split('\n').filter((line) => /^\w*Error: /.test(line));
  return causes.at(-1) ?? e.message;
}

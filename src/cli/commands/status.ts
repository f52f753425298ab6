/**
 * `gm status [game]`: per game its phase, players, address, uptime, the
 * timeline of the current or last start, the last stop and why, and the cost
 * of the running session so far. `--json` prints one document for scripts;
 * `--watch` follows one game until it is ready (or neither starting nor
 * running), which is what a player waiting to join wants.
 */
import { systemClock, type Clock } from '../../lambdas/shared/poll';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, gameTarget, loadDeployment, type GameTarget } from '../aws/deployment';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command';
import type { GameStatus } from '../game-status/derive';
import { EXIT_INTERRUPTED, FOLLOW_POLL_MS, type CommandDeps, observeGame, type Observed } from '../game-status/follow';
import { statusJson, statusLines } from '../game-status/format';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { waitWithProgress } from '../progress';
import { stopWaitMs } from './stop';

const USAGE = `usage: gm status [game] [--json] [--watch] [--profile <name>] [--region <name>]
  game      one game of the configuration (default: every game)
  --json    one JSON document: {"readAt", "region", "games": [...]}, every key always
            present (null when unknown), times in ISO 8601
  --watch   follow the named game until it is ready (or stops starting), with a
            progress line; exits 0 when it runs, 1 otherwise; Ctrl-C stops
            watching and changes nothing
Phases: stopped, starting, running, stopping, failed (a start that ended in an
error, or a last stop by the failsafe, for never getting ready or for not answering);
not-deployed when the game's Auto Scaling group does not exist.
${AWS_OPTIONS_USAGE}`;

/** A watched game is still worth waiting for: starting, or stopping with a wake that starts it again. */
function stillComing(status: GameStatus): boolean {
  return status.phase === 'starting' || (status.phase === 'stopping' && status.pendingWake);
}

function print(io: CliIo, statuses: readonly GameStatus[], json: boolean, readAt: string, region: string): void {
  if (json) {
    io.out(JSON.stringify({ readAt, region, games: statuses.map(statusJson) }, null, 2));
    return;
  }
  statuses.forEach((status, i) => {
    if (i > 0) io.out('');
    for (const line of statusLines(status)) io.out(line);
  });
}

async function watch(target: GameTarget, io: CliIo, clock: Clock, json: boolean): Promise<number> {
  const wait = await waitWithProgress<Observed>({
    io,
    clock,
    label: `watching ${target.game.id}`,
    intervalMs: FOLLOW_POLL_MS,
    // As long as a start may take, after a stop that may still have to end.
    timeoutMs: target.game.watchdog.startupMinutes * 60_000 + stopWaitMs(target.game.stopTimeoutSeconds),
    read: () => observeGame(target, new Date(clock.now())),
    describe: ({ status }) => `${status.phase}${status.detail ? `: ${status.detail}` : ''}`,
    isDone: ({ status }) => !stillComing(status),
  });
  if (wait.value) print(io, [wait.value.status], json, wait.value.facts.readAt, target.region);
  if (wait.outcome === 'interrupted') {
    io.err('stopped watching; nothing was changed');
    return EXIT_INTERRUPTED;
  }
  if (wait.outcome !== 'done') {
    io.err(`${target.game.id} is still ${wait.value?.status.phase ?? 'unknown'} after watching for ${Math.round(wait.elapsedMs / 60_000)} min`);
    return EXIT_FAILED;
  }
  return wait.value.status.phase === 'running' ? EXIT_OK : EXIT_FAILED;
}

export async function runStatus(args: readonly string[], io: CliIo, { clock = systemClock, env = process.env }: CommandDeps = {}): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...AWS_OPTIONS, json: { type: 'boolean' }, watch: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const deployment = loadDeployment(values, env);
  const json = values.json === true;
  if (values.watch) {
    if (positionals[0] === undefined) throw new UsageError(`--watch follows one game: name it (games: ${deployment.config.games.map((g) => g.id).join(', ')})`);
    return watch(findGame(deployment, positionals[0]), io, clock, json);
  }
  const targets = positionals[0] === undefined ? deployment.config.games.map((g) => gameTarget(deployment, g)) : [findGame(deployment, positionals[0])];
  const now = new Date(clock.now());
  const observed = await Promise.all(targets.map((t) => observeGame(t, now)));
  print(io, observed.map((o) => o.status), json, now.toISOString(), deployment.region);
  // A game that is not deployed is an error a script should see; every other phase is an answer.
  return observed.some((o) => o.status.phase === 'not-deployed') ? EXIT_FAILED : EXIT_OK;
}

/** The command with its own clock and environment (tests pass a simulated clock and GM_CONFIG). */
export function statusCommandWith(deps: CommandDeps): Command {
  return {
    name: 'status',
    summary: 'show each game: phase, players, address, uptime, start timeline, last stop, cost so far (--json, --watch)',
    usage: USAGE,
    run: (args, io) => runStatus(args, io, deps),
  };
}

export const statusCommand: Command = statusCommandWith({});

/**
 * `gm start <game>`: the wake rule a player's lookup uses (`requestStart`,
 * source `operator`), without a DNS lookup: never while a stop still drains
 * (the wake is recorded and the end of the stop starts the game). Then it
 * follows the start, printing each step of the timeline as it appears, and
 * exits when the game answers — or, after startupMinutes, non-zero with the
 * reason.
 */
import { systemClock, type Clock } from '../../lambdas/shared/poll';
import { requestStart } from '../../lambdas/shared/session';
import { groupCondition } from '../../runtime/session';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment, type GameTarget } from '../aws/deployment';
import { EXIT_FAILED, EXIT_OK, gmCommandLine, UsageError, type Command } from '../command';
import { startProblem, timelineOf, type GameStatus } from '../game-status/derive';
import { EXIT_INTERRUPTED, FOLLOW_POLL_MS, type CommandDeps, notDeployedLine, observeGame, type Observed } from '../game-status/follow';
import { duration, timelineLine } from '../game-status/format';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { waitWithProgress } from '../progress';
import { stopWaitMs } from './stop';

/** The watchdog decides "never ready" at startupMinutes and runs every minute: one more minute to see its verdict. */
const VERDICT_MS = 60_000;

const USAGE = `usage: gm start <game> [--profile <name>] [--region <name>]
Starts the game as a player's lookup would (no DNS lookup needed). While a stop
still drains, the start waits for it to end. Prints each step of the start as it
happens and exits 0 when the game answers, or 1 after startupMinutes with the
reason. Ctrl-C stops following (the start goes on in AWS).
${AWS_OPTIONS_USAGE}`;

/** Prints each step of the start the first time it is seen. */
class TimelinePrinter {
  private readonly printed = new Set<string>();
  constructor(private readonly io: CliIo) {}

  print(observed: Observed): void {
    const timeline = timelineOf(observed.facts);
    timeline.forEach((step, i) => {
      if (this.printed.has(step.step)) return;
      this.printed.add(step.step);
      this.io.out(`  ${timelineLine(step, timeline[i - 1])}`);
    });
  }
}

/** The start has ended without the game getting ready: the group is back at 0 with nothing left. */
function startEnded({ facts }: Observed): boolean {
  return groupCondition(facts.group) === 'stopped' && !facts.sessionExists;
}

function failureReason(observed: Observed): string {
  const { status } = observed;
  const stop = status.lastStop ? `stopped (${status.lastStop.reason})` : undefined;
  return [stop, startProblem(observed.facts) ?? status.detail].filter(Boolean).join(': ') || 'no reason recorded';
}

function readyLine(status: GameStatus, elapsedMs: number): string {
  const address = [status.ipv4, status.ipv6].filter(Boolean).join(', ');
  return `${status.game} is ready after ${duration(elapsedMs / 1000)}: connect to ${status.fqdn}${address ? ` (${address})` : ''}`;
}

export async function startAndFollow(target: GameTarget, io: CliIo, clock: Clock = systemClock): Promise<number> {
  const id = target.game.id;
  const requestedAt = new Date(clock.now());
  const outcome = await requestStart(target.session, { source: 'operator', now: requestedAt }, target.region);
  if (outcome.result === 'missing') {
    io.err(notDeployedLine(target));
    return EXIT_FAILED;
  }
  if (outcome.result === 'started') io.out(`starting ${id}`);
  if (outcome.result === 'deferred') io.out(`${id} is still stopping: it starts when the stop ends`);
  if (outcome.result === 'already-up') {
    const now = await observeGame(target, new Date(clock.now()));
    if (now.status.phase === 'running') {
      io.out(`${id} is already running: connect to ${target.game.fqdn}${now.status.ipv4 ? ` (${now.status.ipv4})` : ''}`);
      return EXIT_OK;
    }
    io.out(`${id} is already starting`);
  }

  const printer = new TimelinePrinter(io);
  // A deferred start is the one the end of the stop makes: until its session exists, what AWS shows is the stop.
  let ours = outcome.result !== 'deferred';
  const isOurs = (o: Observed) => ours || (ours = o.facts.session !== undefined && Date.parse(o.facts.session.startedAt) >= requestedAt.getTime());
  const wait = await waitWithProgress<Observed>({
    io,
    clock,
    label: `starting ${id}`,
    intervalMs: FOLLOW_POLL_MS,
    timeoutMs: target.game.watchdog.startupMinutes * 60_000 + VERDICT_MS + (outcome.result === 'deferred' ? stopWaitMs(target.game.stopTimeoutSeconds) : 0),
    read: async () => {
      const observed = await observeGame(target, new Date(clock.now()));
      if (isOurs(observed)) printer.print(observed);
      return observed;
    },
    describe: (o) => (isOurs(o) ? (o.status.detail ?? o.status.phase) : `waiting for the stop to end (${o.status.detail ?? o.status.phase})`),
    isDone: (o) => isOurs(o) && (o.status.phase === 'running' || o.status.phase === 'failed' || startEnded(o) || o.status.phase === 'not-deployed'),
  });

  if (wait.outcome === 'interrupted') {
    io.err(`interrupted: the start goes on in AWS; ${gmCommandLine(`status ${id}`)} follows it`);
    return EXIT_INTERRUPTED;
  }
  if (wait.outcome !== 'done') {
    const why = wait.value ? failureReason(wait.value) : 'AWS did not answer';
    io.err(`${id} is not ready after ${duration(wait.elapsedMs / 1000)} (startupMinutes ${target.game.watchdog.startupMinutes}): ${why}; ` +
      `the watchdog stops a game that never answers; ${gmCommandLine(`status ${id}`)} shows it`);
    return EXIT_FAILED;
  }
  const observed = wait.value;
  if (observed.status.phase === 'running') {
    io.out(readyLine(observed.status, wait.elapsedMs));
    return EXIT_OK;
  }
  if (observed.status.phase === 'not-deployed') {
    io.err(notDeployedLine(target));
    return EXIT_FAILED;
  }
  io.err(`${id} did not get ready: ${failureReason(observed)}; see its log with ${gmCommandLine(`logs ${id}`)}`);
  return EXIT_FAILED;
}

export async function runStart(args: readonly string[], io: CliIo, { clock = systemClock, env = process.env }: CommandDeps = {}): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...AWS_OPTIONS });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  return startAndFollow(findGame(loadDeployment(values, env), positionals[0]), io, clock);
}

/** The command with its own clock and environment (tests pass a simulated clock and GM_CONFIG). */
export function startCommandWith(deps: CommandDeps): Command {
  return {
    name: 'start',
    summary: 'start a game (as a player\'s lookup would) and follow it until it is ready',
    usage: USAGE,
    run: (args, io) => runStart(args, io, deps),
  };
}

export const startCommand: Command = startCommandWith({});

/**
 * `gm stop <game>`: the same stop as an idle stop (the shared stop rule, with
 * the reason `manual` recorded): the group goes to 0, the instance hook drains
 * the host, the game saves, the host terminates and the session ends. Waits
 * for all of it with a progress line.
 */
import { systemClock, type Clock } from '../../lambdas/shared/poll';
import { requestStop } from '../../lambdas/shared/stop';
import { groupCondition } from '../../runtime/session';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment, type GameTarget } from '../aws/deployment';
import { EXIT_FAILED, EXIT_OK, gmCommandLine, UsageError, type Command } from '../command';
import { EXIT_INTERRUPTED, FOLLOW_POLL_MS, type CommandDeps, notDeployedLine, observeGame, type Observed } from '../game-status/follow';
import { duration } from '../game-status/format';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { waitWithProgress } from '../progress';

/** The end of a stop deletes the session seconds after the host left the group: a record still there this long after is left behind, not a stop in progress. */
export const SESSION_END_GRACE_MS = 60_000;

/** How long a stop may take: the game's save, the hook's drain bound, and the host's termination. */
export function stopWaitMs(stopTimeoutSeconds: number): number {
  return (stopTimeoutSeconds + 5 * 60) * 1000;
}

function stopState({ facts, status }: Observed): string {
  switch (groupCondition(facts.group)) {
    case 'missing':
      return 'the group is gone';
    case 'up':
      return 'started again';
    case 'stopping':
      return status.detail ?? 'stopping';
    case 'stopped':
      return facts.sessionExists ? 'ending the session' : 'stopped';
  }
}

/**
 * Stops the game and waits until it is: the group has no instance and the
 * session has ended. True when the game ended stopped; false when it was not
 * deployed, was started again meanwhile, the wait ran out, or the user pressed
 * Ctrl-C — each said in one line first.
 */
export async function stopAndWait(target: GameTarget, io: CliIo, clock: Clock = systemClock): Promise<boolean> {
  const id = target.game.id;
  const outcome = await requestStop({ asgName: target.names.asg, stateParameterName: target.names.stateParameter }, 'manual', new Date(clock.now()), target.region);
  if (outcome.result === 'missing') {
    io.err(notDeployedLine(target));
    return false;
  }
  if (outcome.result === 'stopping') io.out(`stopping ${id}: the game saves, then its host terminates`);
  if (outcome.result === 'already-stopping') io.out(`${id} is already stopping; waiting for the stop to end`);

  let emptySince: number | undefined;
  const wait = await waitWithProgress<Observed>({
    io,
    clock,
    label: `stopping ${id}`,
    intervalMs: FOLLOW_POLL_MS,
    timeoutMs: stopWaitMs(target.game.stopTimeoutSeconds),
    read: () => observeGame(target, new Date(clock.now())),
    describe: stopState,
    isDone: ({ facts }) => {
      const condition = groupCondition(facts.group);
      if (condition === 'missing' || condition === 'up') return true;
      if (condition === 'stopping') {
        emptySince = undefined;
        return false;
      }
      emptySince ??= clock.now();
      return !facts.sessionExists || clock.now() - emptySince >= SESSION_END_GRACE_MS;
    },
  });

  if (wait.outcome === 'interrupted') {
    io.err(`interrupted: the stop goes on in AWS; ${gmCommandLine(`status ${id}`)} follows it`);
    return false;
  }
  if (wait.outcome !== 'done') {
    io.err(
      `${id} is not stopped after ${duration(wait.elapsedMs / 1000)} (${wait.value ? stopState(wait.value) : 'AWS did not answer'}); ` +
        `the stop goes on in AWS; ${gmCommandLine(`status ${id}`)} follows it`,
    );
    return false;
  }
  const { facts } = wait.value;
  if (!facts.group) {
    io.err(notDeployedLine(target));
    return false;
  }
  if (groupCondition(facts.group) === 'up') {
    io.err(`${id} was started again during its stop (a wake came, or the group was raised): it is not stopped; ${gmCommandLine(`status ${id}`)} shows it`);
    return false;
  }
  const stopped = outcome.result === 'already-stopped' ? `${id} is already stopped` : `${id} stopped in ${duration(wait.elapsedMs / 1000)}`;
  if (facts.sessionExists) {
    io.out(`${stopped}, but its session record ${target.names.sessionParameter} remains ` +
      "(the end of the stop did not run: see the instance hook's log); the next start clears it");
    return true;
  }
  io.out(stopped);
  return true;
}

const USAGE = `usage: gm stop <game> [--profile <name>] [--region <name>]
Stops the game the way an idle stop does: the game gets SIGTERM and its stop
timeout to save the world, then its host terminates. Waits until the game is
stopped, with progress; Ctrl-C stops waiting (the stop goes on in AWS).
A game already stopped is left as it is (exit 0).
${AWS_OPTIONS_USAGE}`;

export async function runStop(args: readonly string[], io: CliIo, { clock = systemClock, env = process.env }: CommandDeps = {}): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...AWS_OPTIONS });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const target = findGame(loadDeployment(values, env), positionals[0]);
  const stopped = await stopAndWait(target, io, clock);
  if (io.interrupted.aborted) return EXIT_INTERRUPTED;
  return stopped ? EXIT_OK : EXIT_FAILED;
}

/** The command with its own clock and environment (tests pass a simulated clock and GM_CONFIG). */
export function stopCommandWith(deps: CommandDeps): Command {
  return {
    name: 'stop',
    summary: 'stop a game gracefully (it saves first) and wait until it is stopped',
    usage: USAGE,
    run: (args, io) => runStop(args, io, deps),
  };
}

export const stopCommand: Command = stopCommandWith({});

/**
 * `gm logs <game>`: the game container's output, as the ECS awslogs driver
 * sent it to the game's log group, newest last; `--follow` keeps printing
 * new lines until Ctrl-C.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchLogs } from '../../lambdas/shared/clients';
import { systemClock, type Clock } from '../../lambdas/shared/poll';
import { errorName, isTransientError } from '../../lambdas/shared/transient';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment, type GameTarget } from '../aws/deployment';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command';
import type { CliIo } from '../io';
import { localIsoTime, shortLocalTime } from '../logs/local-time';
import { NewEvents } from '../logs/new-events';
import { printableMessage, readLogEvents, type LogEvent } from '../logs/read-events';
import { DEFAULT_SINCE, parseSince } from '../logs/since';
import { parseOptions } from '../parse-options';
import { sleepUnlessInterrupted } from '../progress';

/** How often `--follow` asks for new lines: the awslogs driver sends about every 5 s, so 2 s adds little delay. */
export const FOLLOW_INTERVAL_MS = 2000;

const USAGE = `usage: gm logs <game> [--since <when>] [--follow]
  <game>            the game's id in the configuration (e.g. mc)
  --since <when>    from how long ago: 30s, 10m, 1h, 2d, or an ISO time such as 2026-11-30T10:00
                    (default ${DEFAULT_SINCE})
  -f, --follow      keep printing new lines as the game writes them, until Ctrl-C
Prints "<local time>  <line>" for each line of the game container's output, oldest first.
${AWS_OPTIONS_USAGE}`;

export interface LogsDependencies {
  readonly clock?: Clock;
  readonly followIntervalMs?: number;
  /** IANA time zone of the printed times; default the system's. */
  readonly timeZone?: string;
  readonly env?: NodeJS.ProcessEnv;
}

interface LogsRequest {
  readonly target: GameTarget;
  readonly startTime: number;
  readonly follow: boolean;
}

function parseLogsArgs(args: readonly string[], nowMs: number, env: NodeJS.ProcessEnv): LogsRequest {
  const { values, positionals } = parseOptions(args, {
    ...AWS_OPTIONS,
    since: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  // --since first: a typo in it is found without reading the configuration.
  const startTime = parseSince(values.since ?? DEFAULT_SINCE, nowMs);
  const target = findGame(loadDeployment(values, env), positionals[0]);
  return { target, startTime, follow: values.follow === true };
}

function isMissingLogGroup(e: unknown): boolean {
  return errorName(e) === 'ResourceNotFoundException';
}

export async function runLogs(args: readonly string[], io: CliIo, deps: LogsDependencies = {}): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const { target, startTime, follow } = parseLogsArgs(args, clock.now(), deps.env ?? process.env);
  const id = target.game.id;
  const logGroupName = target.names.logGroup;
  const client = cloudWatchLogs(target.region);
  const print = (events: readonly LogEvent[]) => {
    for (const e of events) io.out(`${localIsoTime(e.timestamp, deps.timeZone)}  ${printableMessage(e.message)}`);
  };

  const seen = new NewEvents(startTime);
  let first: LogEvent[] | undefined;
  try {
    first = await readLogEvents(client, { logGroupName, startTime, signal: io.interrupted });
  } catch (e) {
    if (!isMissingLogGroup(e)) throw e;
    io.err(`gm logs: ${id} has no log yet (it has never started since deploy; looked for log group ${logGroupName} in ${target.region})`);
    return EXIT_FAILED;
  }
  if (first === undefined) return EXIT_OK; // Ctrl-C while reading: the user no longer wants the lines.
  const shown = seen.take(first);
  if (shown.length === 0) {
    io.err(`no log lines for ${id} since ${shortLocalTime(startTime, clock.now(), deps.timeZone)} (the game has not run since then?)`);
  }
  print(shown);
  if (!follow) return EXIT_OK;
  return followLog({ client, io, clock, intervalMs: deps.followIntervalMs ?? FOLLOW_INTERVAL_MS, target, seen, print });
}

interface FollowState {
  readonly client: CloudWatchLogsClient;
  readonly io: CliIo;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly target: GameTarget;
  readonly seen: NewEvents;
  readonly print: (events: readonly LogEvent[]) => void;
}

/** Polls from the newest line seen until Ctrl-C, which ends it quietly (exit 0). */
async function followLog({ client, io, clock, intervalMs, target, seen, print }: FollowState): Promise<number> {
  const logGroupName = target.names.logGroup;
  for (;;) {
    await sleepUnlessInterrupted(clock, intervalMs, io.interrupted);
    if (io.interrupted.aborted) break;
    let events: LogEvent[] | undefined;
    try {
      events = await readLogEvents(client, { logGroupName, startTime: seen.nextStartTime, signal: io.interrupted });
    } catch (e) {
      // Throttling that outlasted the SDK's retries only delays the next lines; the next poll catches up.
      if (isTransientError(e)) {
        io.progress(`AWS is slow to answer (${errorName(e)}); still following ${target.game.id}`);
        continue;
      }
      if (isMissingLogGroup(e)) {
        io.progress(undefined);
        io.err(`gm logs: the log group ${logGroupName} was deleted while following (was ${target.game.id} destroyed?)`);
        return EXIT_FAILED;
      }
      io.progress(undefined);
      throw e;
    }
    if (events === undefined) break;
    io.progress(undefined);
    print(seen.take(events));
  }
  io.progress(undefined);
  return EXIT_OK;
}

export function createLogsCommand(deps: LogsDependencies = {}): Command {
  return {
    name: 'logs',
    summary: "print a game container's log (CloudWatch Logs), newest last; --follow keeps printing new lines until Ctrl-C",
    usage: USAGE,
    run: (args, io) => runLogs(args, io, deps),
  };
}

export const logsCommand: Command = createLogsCommand();

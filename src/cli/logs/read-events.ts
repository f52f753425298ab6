/**
 * Reading a game's log: every event of the log group (all of its streams, one
 * per task the ECS awslogs driver started) from a moment on, over every page
 * FilterLogEvents returns, ordered by timestamp.
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface LogEvent {
  readonly eventId: string;
  readonly timestamp: number;
  readonly message: string;
}

export interface ReadWindow {
  readonly logGroupName: string;
  /** ms since the epoch, inclusive. */
  readonly startTime: number;
  /** Reading stops between pages once this aborts; the events so far are dropped. */
  readonly signal: AbortSignal;
}

/** Every event of the window, oldest first; undefined when the signal aborted. */
export async function readLogEvents(client: CloudWatchLogsClient, window: ReadWindow): Promise<LogEvent[] | undefined> {
  const events: LogEvent[] = [];
  const tokens = new Set<string>();
  let nextToken: string | undefined;
  do {
    if (window.signal.aborted) return undefined;
    const page = await client.send(new FilterLogEventsCommand({ logGroupName: window.logGroupName, startTime: window.startTime, nextToken }));
    for (const e of page.events ?? []) {
      if (e.eventId === undefined || e.timestamp === undefined) continue;
      events.push({ eventId: e.eventId, timestamp: e.timestamp, message: e.message ?? '' });
    }
    nextToken = page.nextToken;
    // A page may be empty and still carry a token (the search goes on); a token seen twice would loop forever.
    if (nextToken !== undefined) {
      if (tokens.has(nextToken)) break;
      tokens.add(nextToken);
    }
  } while (nextToken !== undefined);
  // The streams come interleaved; sort (stably) so the output reads in time order.
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/** The message as the game wrote it, without the line end the driver keeps; inner line breaks stay. */
export function printableMessage(message: string): string {
  return message.replace(/(?:\r?\n)+$/, '');
}

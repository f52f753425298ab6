/**
 * Wakes the games a batch matched, through small injected ports so the flow
 * is tested without AWS. Each game is handled on its own: one failing game
 * never stops the others, and the caller decides what a failure means.
 */
import { mapWithConcurrency } from './concurrency';
import { blockingInstances, decideWake, startingNotice, type GameMatch, type GroupSnapshot, type Notice } from './logic';
import type { MetricRecord } from './telemetry';

export interface WakePorts {
  /** DescribeAutoScalingGroups for one group; undefined when it does not exist. */
  describeGroup(asgName: string): Promise<GroupSnapshot | undefined>;
  /** SetDesiredCapacity 1 (idempotent: repeating it is harmless). */
  setDesiredCapacityToOne(asgName: string): Promise<void>;
  /** Publishes to the alerts topic. */
  notify(notice: Notice): Promise<void>;
}

/** At most this many games are described/scaled at once. */
export const WAKE_CONCURRENCY = 4;

export type GameOutcome =
  | { readonly gameId: string; readonly result: 'woken'; readonly match: GameMatch; readonly notifyError?: Error }
  | { readonly gameId: string; readonly result: 'already-up'; readonly match: GameMatch }
  | { readonly gameId: string; readonly result: 'terminating'; readonly match: GameMatch; readonly blocking: GroupSnapshot['instances'] }
  | { readonly gameId: string; readonly result: 'missing'; readonly match: GameMatch }
  | { readonly gameId: string; readonly result: 'failed'; readonly match: GameMatch; readonly error: Error };

export async function wakeGames(
  matches: readonly GameMatch[],
  ports: WakePorts,
  concurrency: number = WAKE_CONCURRENCY,
): Promise<GameOutcome[]> {
  return mapWithConcurrency(matches, concurrency, (match) => wakeGame(match, ports));
}

async function wakeGame(match: GameMatch, ports: WakePorts): Promise<GameOutcome> {
  const gameId = match.target.id;
  const asgName = match.target.asgName;
  try {
    const group = await ports.describeGroup(asgName);
    const decision = decideWake(group);
    switch (decision) {
      case 'missing':
        return { gameId, result: 'missing', match };
      case 'already-up':
        return { gameId, result: 'already-up', match };
      case 'terminating':
        return { gameId, result: 'terminating', match, blocking: group ? blockingInstances(group) : [] };
      case 'wake':
        break;
    }
    await ports.setDesiredCapacityToOne(asgName);
  } catch (e) {
    return { gameId, result: 'failed', match, error: asError(e) };
  }
  // The server is starting whatever happens to the notice: a failed publish must not fail (and retry) the wake.
  try {
    await ports.notify(startingNotice(match));
    return { gameId, result: 'woken', match };
  } catch (e) {
    return { gameId, result: 'woken', match, notifyError: asError(e) };
  }
}

/** The counts worth paying for: only what happened (an already-running game publishes nothing). */
export function outcomeMetrics(outcomes: readonly GameOutcome[], malformedLines: number): MetricRecord[] {
  const records: MetricRecord[] = [];
  if (malformedLines > 0) records.push({ name: 'MalformedLines', value: malformedLines });
  for (const outcome of outcomes) {
    const game = outcome.gameId;
    switch (outcome.result) {
      case 'woken':
        records.push({ name: 'Wakes', value: 1, game });
        if (outcome.notifyError) records.push({ name: 'NotifyFailures', value: 1, game });
        break;
      case 'terminating':
        records.push({ name: 'WakeDeferred', value: 1, game });
        break;
      case 'missing':
        records.push({ name: 'WakeGroupMissing', value: 1, game });
        break;
      case 'failed':
        records.push({ name: 'WakeFailures', value: 1, game });
        break;
      case 'already-up':
        break;
    }
  }
  return records;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'failsafe' });
export const metrics = new Metrics({ namespace: 'GameManagement', serviceName: 'failsafe' });

export type FailsafeMetric = 'FailsafeStops' | 'AlertFailures';

// Counted here and handed to Powertools at flush, so the `game` dimension is added once per publish.
const counts = new Map<FailsafeMetric, number>();
let countedGame: string | undefined;

/** Counts one occurrence of `name` for the game. */
export function countForGame(name: FailsafeMetric, game: string): void {
  countedGame = game;
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/** Publishes what was counted; nothing at all when nothing happened (custom metrics cost money). */
export function flushMetrics(): void {
  if (counts.size === 0 || countedGame === undefined) return;
  metrics.addDimension('game', countedGame);
  for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
  counts.clear();
  metrics.publishStoredMetrics();
}

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'failsafe' });
export const metrics = new Metrics({ namespace: 'GameManagement', serviceName: 'failsafe' });

export type FailsafeMetric = 'FailsafeStops' | 'AlertFailures';

/** Counts one occurrence of `name` for the game. */
export function countForGame(name: FailsafeMetric, game: string): void {
  metrics.addDimension('game', game);
  metrics.addMetric(name, MetricUnit.Count, 1);
}

/** Publishes what was counted; nothing at all when nothing happened (custom metrics cost money). */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

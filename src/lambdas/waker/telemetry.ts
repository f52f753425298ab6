/**
 * The waker's logger and metrics (Powertools, EMF). Created at import time so
 * the cold start is paid once; neither reads anything the tests must set.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'waker' });
export const metrics = new Metrics({ namespace: 'GameManagement', serviceName: 'waker' });

/** One count to publish; `game` becomes the `game` dimension. */
export interface MetricRecord {
  readonly name: string;
  readonly value: number;
  readonly game?: string;
}

/**
 * Publishes the records, one EMF document per dimension set (Powertools
 * applies dimensions to every stored metric, so each game is flushed on its
 * own). Publishes nothing for an empty list: custom metrics cost money.
 */
export function publishMetrics(records: readonly MetricRecord[]): void {
  const byGame = new Map<string | undefined, MetricRecord[]>();
  for (const record of records) {
    const list = byGame.get(record.game) ?? [];
    list.push(record);
    byGame.set(record.game, list);
  }
  for (const [game, list] of byGame) {
    if (game !== undefined) metrics.addDimension('game', game);
    for (const record of list) metrics.addMetric(record.name, MetricUnit.Count, record.value);
    metrics.publishStoredMetrics();
  }
}

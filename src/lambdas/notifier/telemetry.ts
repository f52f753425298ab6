import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'notifier' });
export const metrics = new Metrics({ namespace: 'GameManagement', serviceName: 'notifier' });

export function countWebhookFailure(): void {
  metrics.addMetric('WebhookFailures', MetricUnit.Count, 1);
}

/** Publishes what was counted; nothing at all when every post succeeded (custom metrics cost money). */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

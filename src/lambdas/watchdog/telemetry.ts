/**
 * The watchdog's logger and metrics (Powertools, EMF). Created at import time
 * so the cold start is paid once; neither reads anything the tests must set.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'watchdog' });
export const metrics = new Metrics({ namespace: 'GameManagement', serviceName: 'watchdog' });

export type WatchdogMetric = 'Players' | 'ProbeLatency' | 'StartupSeconds';

const UNITS: Record<WatchdogMetric, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Players: MetricUnit.Count,
  ProbeLatency: MetricUnit.Milliseconds,
  StartupSeconds: MetricUnit.Seconds,
};

/** The `game` dimension of the metrics stored since the last flush (Powertools warns when a dimension is added twice). */
let dimensionGame: string | undefined;

export function recordMetric(game: string, name: WatchdogMetric, value: number): void {
  if (dimensionGame !== game) {
    metrics.addDimension('game', game);
    dimensionGame = game;
  }
  metrics.addMetric(name, UNITS[name], value);
}

/** Publishes what was recorded; nothing at all when nothing was (custom metrics cost money). */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  dimensionGame = undefined;
}

/**
 * One logger and one metrics setup for every function (Powertools, EMF), so
 * every function logs and measures the same way: JSON logs with the game as a
 * key, metrics in the `GameManagement` namespace with the game as dimension,
 * and nothing published when nothing happened (custom metrics cost money).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const NAMESPACE = 'GameManagement';

export type Unit = 'Count' | 'Seconds' | 'Milliseconds';

const UNITS: Record<Unit, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Count: MetricUnit.Count,
  Seconds: MetricUnit.Seconds,
  Milliseconds: MetricUnit.Milliseconds,
};

interface Recorded {
  readonly name: string;
  readonly unit: Unit;
  readonly value: number;
}

export interface Telemetry {
  readonly logger: Logger;
  /** The game the next records belong to by default (also added to every log line). */
  forGame(gameId: string): void;
  /** Adds to a count (default 1) for the game (default: the one set by `forGame`). */
  count(name: string, value?: number, gameId?: string): void;
  /** Records a measurement (latency, startup seconds). */
  measure(name: string, unit: Unit, value: number, gameId?: string): void;
  /** Publishes what was recorded, one EMF document per game, and forgets it. */
  flush(): void;
}

export function createTelemetry(service: string): Telemetry {
  const logger = new Logger({ serviceName: service });
  const metrics = new Metrics({ namespace: NAMESPACE, serviceName: service });
  const byGame = new Map<string, Recorded[]>();
  let defaultGame = '';

  const record = (entry: Recorded, gameId: string | undefined) => {
    const key = gameId ?? defaultGame;
    const list = byGame.get(key) ?? [];
    list.push(entry);
    byGame.set(key, list);
  };

  return {
    logger,
    forGame(gameId) {
      defaultGame = gameId;
      logger.appendKeys({ game: gameId });
    },
    count(name, value = 1, gameId) {
      record({ name, unit: 'Count', value }, gameId);
    },
    measure(name, unit, value, gameId) {
      record({ name, unit, value }, gameId);
    },
    flush() {
      for (const [gameId, entries] of byGame) {
        if (gameId !== '') metrics.addDimension('game', gameId);
        for (const entry of entries) metrics.addMetric(entry.name, UNITS[entry.unit], entry.value);
        metrics.publishStoredMetrics();
      }
      byGame.clear();
    },
  };
}

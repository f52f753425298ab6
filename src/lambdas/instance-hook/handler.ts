/**
 * Instance hook: EventBridge delivers the game's Auto Scaling lifecycle
 * actions (launch / terminate) and EC2 spot interruption warnings here.
 * This file only wires environment, AWS clients, logging and metrics to the
 * flows; the decisions live in logic.ts and flows.ts.
 *
 * Env: GM_GAME (JSON RuntimeGame), GM_TOPIC_ARN (alerts topic).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { readJsonEnv, requireEnv, type RuntimeGame } from '../../runtime/contract';
import { awsPorts } from './aws-ports';
import { runDecision, type HookOutcome } from './flows';
import { classify } from './logic';
import { DEFAULT_TIMING, systemClock, type Clock, type HookLog, type HookMetrics, type HookPorts, type HookTiming } from './ports';
import { checkRuntimeGame } from './runtime-game';

/** Metrics the handler flushes once per invocation, and only when something was counted. */
export interface MetricsSink extends HookMetrics {
  flush(gameId: string): void;
}

export interface HandlerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  readonly timing?: Partial<HookTiming>;
  readonly log?: HookLog;
  readonly metrics?: MetricsSink;
  /** Replaces the AWS-backed ports (the default) — for running the flows against fakes. */
  readonly ports?: (game: RuntimeGame, topicArn: string) => HookPorts;
}

const logger = new Logger({ serviceName: 'gm-instance-hook' });

function loggerLog(): HookLog {
  return {
    info: (message, extra) => logger.info(message, { ...extra }),
    warn: (message, extra) => logger.warn(message, { ...extra }),
    error: (message, extra) => logger.error(message, { ...extra }),
  };
}

function powertoolsMetrics(): MetricsSink {
  const metrics = new Metrics({ namespace: 'GameManagement', serviceName: 'instance-hook' });
  return {
    count: (name) => {
      metrics.addMetric(name, MetricUnit.Count, 1);
    },
    flush: (gameId) => {
      // Custom metrics cost money: an invocation that did nothing publishes nothing.
      if (!metrics.hasStoredMetrics()) return;
      metrics.addDimension('game', gameId);
      metrics.publishStoredMetrics();
    },
  };
}

export function createHandler(options: HandlerOptions = {}): (event: unknown, context?: Context) => Promise<HookOutcome> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const timing: HookTiming = { ...DEFAULT_TIMING, ...options.timing };
  const log = options.log ?? loggerLog();
  const makePorts = options.ports ?? awsPorts;
  let metrics: MetricsSink | undefined = options.metrics;
  let game: RuntimeGame | undefined;

  return async (event, context) => {
    // Read once per cold start; a broken configuration fails every invocation with the same clear error.
    game ??= checkRuntimeGame(readJsonEnv<unknown>('GM_GAME', env));
    const topicArn = requireEnv('GM_TOPIC_ARN', env);
    metrics ??= powertoolsMetrics();
    if (context) logger.addContext(context);

    const decision = classify(event, game);
    if (decision.kind === 'ignore') {
      log.info('event ignored', { reason: decision.reason, instanceId: decision.instanceId });
      return decision;
    }
    log.info('handling event', { kind: decision.kind, instanceId: decision.instanceId, game: game.id });
    try {
      const outcome = await runDecision(decision, { game, ports: makePorts(game, topicArn), clock, timing, log, metrics });
      log.info('event handled', { ...outcome });
      return outcome;
    } catch (e) {
      log.error('event failed; EventBridge retries it, and the lifecycle hook continues by itself at its heartbeat timeout', {
        kind: decision.kind,
        instanceId: decision.instanceId,
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      });
      throw e;
    } finally {
      metrics.flush(game.id);
    }
  };
}

export const handler = createHandler();

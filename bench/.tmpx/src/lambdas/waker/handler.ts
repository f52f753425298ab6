/**
 * Waker: invoked by the subscription filter on the zone's Route53 query-log
 * group (us-east-1); starts the games that players look up. Wiring only: the
 * environment (`GM_GAME_REGION`, `GM_TOPIC_ARN`, optional `GM_ROUTES_FILE`),
 * the routing table (`routes.json`), telemetry and the clock, handed to
 * flows.ts.
 *
 * Local run (writes printed, not made):
 *   GM_GAME_REGION=eu-west-1 GM_TOPIC_ARN=arn:aws:sns:eu-west-1:123456789012:gm-alerts \
 *   GM_ROUTES_FILE=examples/events/waker-routes.json \
 *   npm run --silent gm -- lambda waker --event examples/events/waker-srv-lookup.json --dry-run
 */
import type { WakeRoute } from '../../runtime/routes';
import { functionEnv } from '../shared/env';
import { createTelemetry, type Telemetry } from '../shared/telemetry';
import { handleEvent, type WakeBatchSummary } from './flows';
import { readRoutes, routesFile } from './routes';

export type { WakeBatchSummary } from './flows';

export interface WakerOptions {
  /** Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: the system clock. */
  readonly now?: () => Date;
  /** Where `routes.json` is when `GM_ROUTES_FILE` is not set. Default: beside this code. */
  readonly routesDir?: string;
  /** Default: `createTelemetry('waker')`. */
  readonly telemetry?: Telemetry;
}

export function createHandler(options: WakerOptions = {}): (event: unknown) => Promise<WakeBatchSummary> {
  const telemetry = options.telemetry ?? createTelemetry('waker');
  const now = options.now ?? (() => new Date());
  // Read on the first invocation, then kept for the life of the container.
  let routes: readonly WakeRoute[] | undefined;
  return async (event) => {
    const env = functionEnv('waker', options.env);
    routes ??= readRoutes(routesFile(env.GM_ROUTES_FILE, options.routesDir));
    return handleEvent(event, { env, routes, telemetry, now: now() });
  };
}

export const handler = createHandler();

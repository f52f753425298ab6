/**
 * Relays alerts-topic messages to a Discord webhook. Env (src/runtime/env.ts):
 * GM_DISCORD_PARAMETER, the SSM SecureString holding the webhook URL.
 * Wiring only; the relay is in flows.ts, the decisions in decide.ts. Never
 * throws, not even when misconfigured (see flows.ts): the failure is logged
 * and counted instead.
 */
import { functionEnv } from '../shared/env';
import { systemClock, type Clock } from '../shared/poll';
import { RecentIds } from '../shared/recent-ids';
import { createTelemetry, type Telemetry } from '../shared/telemetry';
import { describeError } from '../shared/transient';
import type { UrlPolicy } from './decide';
import { relayEvent, type WebhookCache } from './flows';
import { LOG } from './messages';

export interface NotifierOptions extends UrlPolicy {
  /** How long one post may take before it is abandoned; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Default: the system clock (it waits out Discord's rate limit). */
  readonly clock?: Clock;
  /** Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: a fresh `createTelemetry('notifier')`. */
  readonly telemetry?: Telemetry;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** SNS message ids remembered per container, to post a message delivered twice once. */
const REMEMBERED_MESSAGES = 200;

export function createHandler(options: NotifierOptions = {}): (event: unknown) => Promise<void> {
  const telemetry = options.telemetry ?? createTelemetry('notifier');
  const cache: WebhookCache = {};
  const posted = new RecentIds(REMEMBERED_MESSAGES);
  const policy: UrlPolicy = options.extraAllowedPrefix ? { extraAllowedPrefix: options.extraAllowedPrefix } : {};
  return async function notifierHandler(event: unknown): Promise<void> {
    try {
      const env = functionEnv('notifier', options.env ?? process.env);
      await relayEvent(
        {
          parameterName: env.GM_DISCORD_PARAMETER,
          policy,
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          clock: options.clock ?? systemClock,
          telemetry,
          cache,
          posted,
        },
        event,
      );
    } catch (e) {
      // Only a broken environment gets here; still no throw, so nothing retries in a loop.
      telemetry.count('WebhookFailures');
      telemetry.logger.error(LOG.misconfigured(describeError(e)));
    } finally {
      telemetry.flush();
    }
  };
}

export const handler = createHandler();

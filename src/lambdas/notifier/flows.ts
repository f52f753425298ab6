/**
 * Relaying alerts: read the webhook URL (once per container), post each
 * alert, wait out one Discord rate limit. Never throws: a broken webhook is
 * logged and counted (`WebhookFailures`), because a throw would only make SNS
 * and Lambda retry, and the e-mail subscription already carries the alert.
 */
import type { Clock } from '../shared/poll';
import type { RecentIds } from '../shared/recent-ids';
import { step } from '../shared/steps';
import type { Telemetry } from '../shared/telemetry';
import { describeError } from '../shared/transient';
import { readWebhookParameter } from './aws';
import { discordContent, isAllowedWebhookUrl, isStaleWebhook, rateLimitWaitMs, readRecords, type Alert, type UrlPolicy } from './decide';
import { postToDiscord, type PostResult } from './discord';
import { LOG } from './messages';

/** The webhook URL, kept for the life of the container: one SSM read per cold start, not per alert. */
export interface WebhookCache {
  url?: string;
}

export interface NotifierContext {
  readonly parameterName: string;
  readonly policy: UrlPolicy;
  /** How long one post may take before it is abandoned. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  readonly cache: WebhookCache;
  /** SNS message ids posted in this container. */
  readonly posted: RecentIds;
}

export async function relayEvent(ctx: NotifierContext, event: unknown): Promise<void> {
  const { alerts, skipped } = readRecords(event);
  for (const why of skipped) {
    ctx.telemetry.logger.warn(LOG.skipped(why));
    ctx.telemetry.count('SkippedRecords');
  }
  for (const alert of alerts) await relay(ctx, alert);
}

async function relay(ctx: NotifierContext, alert: Alert): Promise<void> {
  const { logger } = ctx.telemetry;
  if (alert.messageId && ctx.posted.has(alert.messageId)) {
    logger.info(LOG.duplicate(alert.messageId));
    ctx.telemetry.count('DuplicateRecords');
    return;
  }
  const url = await webhookUrl(ctx);
  if (url === undefined) {
    ctx.telemetry.count('WebhookFailures');
    return;
  }
  const content = discordContent(alert.subject, alert.message);
  let result = await post(ctx, url, content);
  const waitMs = result.ok ? undefined : rateLimitWaitMs(result.status, result.retryAfterSeconds);
  if (waitMs !== undefined) {
    logger.warn(LOG.rateLimited(waitMs), { subject: alert.subject });
    ctx.telemetry.count('WebhookRateLimited');
    await ctx.clock.sleep(waitMs);
    result = await post(ctx, url, content);
  }
  if (result.ok) {
    logger.info(LOG.posted, { subject: alert.subject });
    if (alert.messageId) ctx.posted.add(alert.messageId);
    return;
  }
  ctx.telemetry.count('WebhookFailures');
  logger.error(LOG.webhookFailed(result.reason), { subject: alert.subject, status: result.status });
  if (isStaleWebhook(result.status)) ctx.cache.url = undefined;
}

function post(ctx: NotifierContext, url: string, content: string): Promise<PostResult> {
  return step('post to discord', () => postToDiscord(url, content, ctx.timeoutMs));
}

async function webhookUrl(ctx: NotifierContext): Promise<string | undefined> {
  if (ctx.cache.url !== undefined) return ctx.cache.url;
  const { logger } = ctx.telemetry;
  let value: string | undefined;
  try {
    value = await readWebhookParameter(ctx.parameterName);
  } catch (e) {
    logger.error(LOG.parameterUnreadable(ctx.parameterName, describeError(e)));
    return undefined;
  }
  if (value === undefined) {
    logger.error(LOG.parameterMissing(ctx.parameterName));
    return undefined;
  }
  if (!isAllowedWebhookUrl(value.trim(), ctx.policy)) {
    logger.error(LOG.notAWebhook(ctx.parameterName));
    return undefined;
  }
  ctx.cache.url = value.trim();
  return ctx.cache.url;
}

/**
 * Relays alerts-topic messages to a Discord webhook. Env:
 * GM_DISCORD_PARAMETER (name of the SSM SecureString holding the webhook URL).
 *
 * Never throws: a broken webhook is logged and counted (`WebhookFailures`),
 * because a throw would only make SNS and Lambda retry, and the e-mail
 * subscription already carries the same alert.
 */
import type { SNSEvent } from 'aws-lambda';
import { requireEnv } from '../../runtime/contract';
import { step } from '../shared/steps';
import { readSecureParameter } from './aws';
import { postToDiscord } from './discord';
import { discordContent, isAllowedWebhookUrl, type UrlPolicy } from './logic';
import { countWebhookFailure, flushMetrics, logger } from './telemetry';

export interface NotifierOptions extends UrlPolicy {
  /** How long one post may take before it is abandoned; default 5000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** Discord answers these when the webhook was deleted or its token changed: read the parameter again next time. */
const STALE_WEBHOOK_STATUSES = new Set([401, 403, 404]);

export function createNotifierHandler(options: NotifierOptions = {}): (event: SNSEvent) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Cached for the life of the container: one SSM read per cold start, not per alert.
  let cachedUrl: string | undefined;

  async function webhookUrl(parameterName: string): Promise<string | undefined> {
    if (cachedUrl !== undefined) return cachedUrl;
    const value = await readSecureParameter(parameterName);
    if (value === undefined) {
      logger.error(`SSM parameter ${parameterName} not found; create it as a SecureString holding the Discord webhook URL`);
      return undefined;
    }
    if (!isAllowedWebhookUrl(value.trim(), options)) {
      logger.error(
        `SSM parameter ${parameterName} must hold a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>); ` +
          'put the URL from Discord (Server Settings → Integrations → Webhooks) in it',
      );
      return undefined;
    }
    cachedUrl = value.trim();
    return cachedUrl;
  }

  async function relay(parameterName: string, subject: string | null | undefined, message: string): Promise<void> {
    let url: string | undefined;
    try {
      url = await webhookUrl(parameterName);
    } catch (e) {
      logger.error(`could not read SSM parameter ${parameterName}: ${(e as Error).name}: ${(e as Error).message}`);
    }
    if (url === undefined) {
      countWebhookFailure();
      return;
    }
    const result = await step('discord.post', () => postToDiscord(url, discordContent(subject, message), timeoutMs));
    if (result.ok) {
      logger.info('alert posted to Discord', { subject });
      return;
    }
    countWebhookFailure();
    // The URL carries the webhook's secret token: never log it.
    logger.error(`Discord webhook failed: ${result.reason}`, { subject });
    if (result.status !== undefined && STALE_WEBHOOK_STATUSES.has(result.status)) cachedUrl = undefined;
  }

  return async function notifierHandler(event: SNSEvent): Promise<void> {
    try {
      const parameterName = requireEnv('GM_DISCORD_PARAMETER');
      const records = Array.isArray(event?.Records) ? event.Records : [];
      if (records.length === 0) logger.warn('SNS event without records; nothing to relay');
      for (const record of records) {
        const sns = record?.Sns;
        if (!sns || typeof sns.Message !== 'string') {
          logger.warn('SNS record without a message; skipped');
          continue;
        }
        await relay(parameterName, sns.Subject, sns.Message);
      }
    } catch (e) {
      // Only a missing environment variable gets here; still no throw, so nothing retries in a loop.
      countWebhookFailure();
      logger.error(`notifier misconfigured: ${(e as Error).message}`);
    } finally {
      flushMetrics();
    }
  };
}

export const handler = createNotifierHandler();

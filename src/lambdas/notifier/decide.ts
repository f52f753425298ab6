/**
 * The notifier's decisions, pure: which records of an SNS event can be
 * relayed, what is posted to Discord, which URLs may receive it, and what to
 * do when Discord refuses a post.
 */

/** Discord rejects messages whose content is longer than 2000 characters. */
export const DISCORD_CONTENT_MAX = 2000;

const TRUNCATION_MARK = '…';

/** One alert to relay. */
export interface Alert {
  /** SNS message id: the same id delivered twice is the same alert. */
  readonly messageId?: string;
  readonly subject?: string;
  readonly message: string;
}

export interface ReadRecords {
  readonly alerts: readonly Alert[];
  /** Why each unusable record was skipped. */
  readonly skipped: readonly string[];
}

/** The alerts of an SNS event; malformed records are skipped with a reason, never thrown. */
export function readRecords(event: unknown): ReadRecords {
  if (!isObject(event) || !Array.isArray(event.Records)) return { alerts: [], skipped: ['the event has no Records list'] };
  const alerts: Alert[] = [];
  const skipped: string[] = [];
  event.Records.forEach((record: unknown, i: number) => {
    const sns = isObject(record) && isObject(record.Sns) ? record.Sns : undefined;
    if (!sns) {
      skipped.push(`record ${i} has no Sns object`);
      return;
    }
    if (typeof sns.Message !== 'string' || sns.Message.trim() === '') {
      skipped.push(`record ${i} has no message text`);
      return;
    }
    alerts.push({
      ...(typeof sns.MessageId === 'string' && sns.MessageId !== '' ? { messageId: sns.MessageId } : {}),
      ...(typeof sns.Subject === 'string' && sns.Subject !== '' ? { subject: sns.Subject } : {}),
      message: sns.Message,
    });
  });
  if (alerts.length === 0 && skipped.length === 0) skipped.push('the event has no records');
  return { alerts, skipped };
}

/** `**<subject>**\n<message>`, or the message alone without a subject, cut to Discord's limit. */
export function discordContent(subject: string | null | undefined, message: string): string {
  const text = subject ? `**${subject}**\n${message}` : message;
  return truncate(text, DISCORD_CONTENT_MAX);
}

/** Cuts to at most `max` characters (counted as Discord does, by code point), marking the cut. */
export function truncate(text: string, max: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return codePoints.slice(0, max - 1).join('') + TRUNCATION_MARK;
}

/** The body posted: the content, and no pings even if an error message contains @everyone. */
export function discordBody(content: string): { content: string; allowed_mentions: { parse: [] } } {
  return { content, allowed_mentions: { parse: [] } };
}

const DISCORD_HOSTS: ReadonlySet<string> = new Set(['discord.com', 'discordapp.com']);

export interface UrlPolicy {
  /**
   * One more accepted URL prefix besides Discord's, for tests against a local
   * server. Never set in the deployed function.
   */
  readonly extraAllowedPrefix?: string;
}

/** True for https://discord.com/api/webhooks/… and https://discordapp.com/api/webhooks/… (and the policy's extra prefix). */
export function isAllowedWebhookUrl(raw: string, policy: UrlPolicy = {}): boolean {
  if (policy.extraAllowedPrefix && raw.startsWith(policy.extraAllowedPrefix)) return true;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    DISCORD_HOSTS.has(url.hostname) &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    url.pathname.startsWith('/api/webhooks/') &&
    url.pathname.length > '/api/webhooks/'.length
  );
}

/** Discord answers these when the webhook was deleted or its token changed: read the parameter again next time. */
const STALE_WEBHOOK_STATUSES: ReadonlySet<number> = new Set([401, 403, 404]);

export function isStaleWebhook(status: number | undefined): boolean {
  return status !== undefined && STALE_WEBHOOK_STATUSES.has(status);
}

/** The longest wait for Discord's rate limit that still fits the function's time. */
export const MAX_RATE_LIMIT_WAIT_MS = 2000;

/**
 * How long to wait before the one retry of a post Discord rate-limited (HTTP
 * 429, `retry_after` in seconds); undefined when it is not worth retrying: not
 * a rate limit, or a wait longer than the function can afford.
 */
export function rateLimitWaitMs(status: number | undefined, retryAfterSeconds: number | undefined): number | undefined {
  if (status !== 429) return undefined;
  const ms = Math.ceil((retryAfterSeconds ?? 1) * 1000);
  return ms >= 0 && ms <= MAX_RATE_LIMIT_WAIT_MS ? ms : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

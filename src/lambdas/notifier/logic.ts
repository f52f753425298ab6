/**
 * Pure parts of the notifier: what is posted to Discord and which URLs may
 * receive it.
 */

/** Discord rejects messages whose content is longer than 2000 characters. */
export const DISCORD_CONTENT_MAX = 2000;

const TRUNCATION_MARK = '…';

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

const DISCORD_HOSTS = new Set(['discord.com', 'discordapp.com']);

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

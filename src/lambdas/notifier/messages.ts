/** Every sentence the notifier logs (it writes no alert of its own: it relays them). */
export const LOG = {
  parameterMissing: (name: string) => `SSM parameter ${name} not found; create it as a SecureString holding the Discord webhook URL`,
  notAWebhook: (name: string) =>
    `SSM parameter ${name} must hold a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>); ` +
    'put the URL from Discord (Server Settings → Integrations → Webhooks) in it',
  parameterUnreadable: (name: string, error: string) => `could not read SSM parameter ${name}: ${error}; the next alert tries again`,
  // The URL carries the webhook's secret token: no sentence here may contain it.
  webhookFailed: (reason: string) => `Discord webhook failed: ${reason}`,
  rateLimited: (waitMs: number) => `Discord rate-limited the webhook; posting again in ${waitMs} ms`,
  posted: 'alert posted to Discord',
  duplicate: (messageId: string) => `SNS message ${messageId} was posted already; skipped`,
  skipped: (why: string) => `SNS record skipped: ${why}`,
  misconfigured: (error: string) => `notifier misconfigured: ${error}`,
} as const;

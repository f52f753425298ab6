/**
 * What the players' group reads: the SNS subject and message for the
 * watchdog's actions. One message per event; an alert that comes with a stop
 * is folded into the stop's message.
 */
import type { Action } from './decide';
import type { StopReason } from './watchdog-record';

export interface Notification {
  readonly subject: string;
  readonly message: string;
}

/** SNS rejects subjects over 100 characters, with line breaks or with non-ASCII characters. */
const MAX_SUBJECT = 100;

export interface NotificationContext {
  readonly fqdn: string;
  /** Whether any player ever joined since the wake-up (an idle stop then reads "nobody joined"). */
  readonly everJoined: boolean;
  /** "host:port" players connect to, for the ready message. */
  readonly address: string;
}

export function notificationsFor(actions: readonly Action[], context: NotificationContext): Notification[] {
  const { fqdn } = context;
  const alerts = actions.flatMap((a) => (a.type === 'alert' ? [a.message] : []));
  const stop = actions.find((a): a is Extract<Action, { type: 'stop' }> => a.type === 'stop');
  const notifications: Notification[] = [];

  for (const action of actions) {
    if (action.type === 'notify-ready') {
      notifications.push({
        subject: subject(`ready ${fqdn} in ${action.seconds} s`),
        message: `${fqdn} is ready, ${action.seconds} s after the wake-up. Connect to ${context.address}.`,
      });
    }
  }
  if (stop) {
    const why = stopSummary(stop.reason, stop.minutes, context.everJoined);
    const details = alerts.map((a) => `${fqdn} ${a}`).join('\n');
    notifications.push({
      subject: subject(`stopping ${fqdn}: ${why}`),
      message: details || `Stopping ${fqdn}: ${why}. A DNS lookup of ${fqdn} starts it again.`,
    });
  } else {
    for (const alert of alerts) notifications.push({ subject: subject(`alert ${fqdn}`), message: `${fqdn} ${alert}` });
  }
  return notifications;
}

function stopSummary(reason: StopReason, minutes: number, everJoined: boolean): string {
  switch (reason) {
    case 'idle':
      return everJoined ? `idle ${minutes} min` : `nobody joined in ${minutes} min`;
    case 'never-ready':
      return `not ready after ${minutes} min`;
    case 'unreachable':
      return `no answer for ${minutes} min`;
    case 'max-hours':
      return `up for ${formatHours(minutes)}`;
  }
}

function formatHours(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function subject(text: string): string {
  const ascii = text.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
  return ascii.length <= MAX_SUBJECT ? ascii : `${ascii.slice(0, MAX_SUBJECT - 3)}...`;
}

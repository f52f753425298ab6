/**
 * Every text of the watchdog a human reads: the notices to the players'
 * group (SNS subject and message), the commands alerts tell the operator to
 * run, and the log and error sentences. One notice per event; an alert that
 * comes with a stop is folded into the stop's message.
 */
import type { WatchdogStopReason as StopReason } from '../../runtime/watchdog-state';
import type { Notice } from '../shared/notices';
import type { Action, DecideConfig, ReadyFrom, StartPhases } from './decide';

export interface OperatorCommands {
  /** Stops the game now: the group to 0, the same as an idle stop. */
  readonly stop: string;
  /** Follows the game container's log. */
  readonly logs: string;
}

/**
 * The commands an alert tells the operator to run, spelled out with the
 * game's real names so they can be pasted as they are (AWS CLI v2). `region`
 * is the game's region (the function's own); without it `--region` is left out.
 */
export function operatorCommands(game: { readonly asgName: string; readonly logGroupName: string }, region: string | undefined): OperatorCommands {
  const inRegion = region ? ` --region ${region}` : '';
  return {
    stop: `aws autoscaling set-desired-capacity --auto-scaling-group-name ${game.asgName} --desired-capacity 0${inRegion}`,
    logs: `aws logs tail ${game.logGroupName} --follow${inRegion}`,
  };
}

/** What players type: the name alone when an SRV record carries the port. */
export function connectAddress(game: { readonly fqdn: string; readonly srvName?: string; readonly ports: readonly { readonly port: number }[] }): string {
  const port = game.ports[0]?.port;
  return game.srvName !== undefined || port === undefined ? game.fqdn : `${game.fqdn}:${port}`;
}

export interface NoticeContext {
  readonly fqdn: string;
  /** "host:port" players connect to, for the ready notice. */
  readonly address: string;
  /** Whether any player ever joined since the wake-up (an idle stop then reads "nobody joined"). */
  readonly everJoined: boolean;
  /** The last probe error, for the alerts of a game that never answered or stopped answering. */
  readonly lastProbeError?: string;
  readonly config: DecideConfig;
  readonly commands: OperatorCommands;
}

export function noticesFor(actions: readonly Action[], context: NoticeContext): Notice[] {
  const { fqdn } = context;
  const notices: Notice[] = [];
  for (const action of actions) {
    if (action.type === 'notify-ready') {
      notices.push({
        subject: `ready ${fqdn} in ${action.seconds} s`,
        message: `${fqdn} is ready ${action.seconds} s after ${READY_FROM_TEXT[action.from]}${phasesText(action.phases)}. Connect to ${context.address}.`,
      });
    }
  }
  const alerts = actions.flatMap((a) => {
    if (a.type === 'max-hours') return [maxHoursAlert(a.hours, a.stopping, context)];
    if (a.type === 'stop') return stopAlert(a.reason, a.minutes, context);
    return [];
  });
  const stop = actions.find((a): a is Extract<Action, { type: 'stop' }> => a.type === 'stop');
  if (stop) {
    const why = stopSummary(stop.reason, stop.minutes, context.everJoined);
    notices.push({
      subject: `stopping ${fqdn}: ${why}`,
      message: alerts.map((a) => `${fqdn} ${a}`).join('\n') || `Stopping ${fqdn}: ${why}. A DNS lookup of ${fqdn} starts it again.`,
    });
  } else {
    for (const alert of alerts) notices.push({ subject: `alert ${fqdn}`, message: `${fqdn} ${alert}` });
  }
  return notices;
}

const READY_FROM_TEXT: Record<ReadyFrom, string> = { lookup: 'your lookup', start: 'the start', launch: 'the launch' };

/** " (instance 31 s, image 22 s, game 21 s)", with only the phases recorded; nothing when none was. */
export function phasesText(phases: StartPhases): string {
  const parts = (['instance', 'image', 'game'] as const).flatMap((p) => (phases[p] === undefined ? [] : [`${p} ${phases[p]} s`]));
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function maxHoursAlert(hours: number, stopping: boolean, { config, commands }: NoticeContext): string {
  return stopping
    ? `has been up for ${hours} h (maxHours ${config.maxHours}); stopping it.`
    : `has been up for ${hours} h (maxHours ${config.maxHours}) and keeps running because stopAfterMaxHours is off; if nobody plays, stop it with: ${commands.stop}`;
}

/** The alert that explains a stop the players did not cause; none for idle and max-hours stops. */
function stopAlert(reason: StopReason, minutes: number, { config, commands, lastProbeError }: NoticeContext): string[] {
  switch (reason) {
    case 'never-ready':
      return [`was not ready ${minutes} min after launch (startupMinutes ${config.startupMinutes}); `
        + `last probe error: ${lastProbeError ?? 'none'}. Stopping it; see the game's log with: ${commands.logs}`];
    case 'unreachable':
      return [`did not answer the probe for ${minutes} min (last error: ${lastProbeError ?? 'none'}). Stopping it; see the game's log with: ${commands.logs}`];
    default:
      return [];
  }
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

/** The probe error while the game's container has not started: a probe error, never 0 players. */
export const CONTAINER_NOT_RUNNING_ERROR = 'game container not running yet';

export const LOG = {
  noInstance: 'no serving instance: disabling the watchdog schedule until the next launch enables it',
  freshState: 'starting a fresh watchdog state',
  stopping: 'group is at 0: the instance is stopping, nothing to decide',
  probeFailed: 'probe failed',
  decision: 'decision',
  noticeFailed: 'could not publish the notice; the run goes on',
  sessionUnreadable: 'could not read the session: readiness counts from the launch',
  startTimesUnread: "could not read ECS's times of this start: the timeline keeps when the container was seen running",
  unexpectedEvent: 'invoked by something other than its schedule: the event is ignored, the run goes on',
  runFailed: 'watchdog run failed',
} as const;

export function groupMissingError(asgName: string): string {
  return `Auto Scaling group ${asgName} not found: the watchdog cannot see the game's instance. `
    + 'Run `cdktf deploy` so the group and the function configuration (GM_GAME) match again.';
}

export function serviceMissingError(serviceName: string, clusterName: string, reason: string | undefined): string {
  return `ECS service ${serviceName} not found in cluster ${clusterName}${reason ? ` (${reason})` : ''}; `
    + 'run `cdktf deploy` so the service and the function configuration (GM_GAME) match again.';
}

/** Every text of the instance hook a person reads: notices, alerts and the long log sentences. */
import type { Session } from '../../runtime/session';
import type { Notice } from '../shared/notices';
import { formatDuration, MAX_LAUNCH_FAILURES, type LaunchFailure, type SpotPlan } from './decide';

/** What a session of `uptimeMs` cost at `usdPerHour`, in the words of a notice ("about $0.11", "less than $0.01"). */
export function sessionCost(uptimeMs: number, usdPerHour: number): string {
  const usd = (Math.max(0, uptimeMs) / 3_600_000) * usdPerHour;
  return usd < 0.005 ? 'less than $0.01' : `about $${usd.toFixed(2)}`;
}

/**
 * `usdPerHour` is the game's list price of a running hour (the runtime game's
 * `usdPerHour`); without it, or without the uptime, the notice says no price.
 * A spot hour is quoted at the on-demand price, the most it can cost.
 */
export function stoppedNotice(fqdn: string, uptimeMs: number | undefined, usdPerHour?: number): Notice {
  if (uptimeMs === undefined) return { subject: `${fqdn} stopped`, message: `stopped ${fqdn}` };
  const cost = usdPerHour === undefined ? '' : `, ${sessionCost(uptimeMs, usdPerHour)} at list price`;
  return { subject: `${fqdn} stopped`, message: `stopped ${fqdn} after ${formatDuration(uptimeMs)}${cost}` };
}

/** The game starts again at the end of its stop, for a wake that came while it was stopping. */
export function restartNotice(fqdn: string, session: Session): Notice {
  const who = session.query ? `a lookup (${session.query})` : 'a start request';
  const when = session.lookupAt ? ` at ${session.lookupAt}` : '';
  return {
    subject: `starting ${fqdn}`,
    message:
      `Starting ${fqdn} again: ${who}${when} asked for it while it was stopping, and the stop has now finished saving. ` +
      'It is usually ready in one to three minutes.',
  };
}

export function spotNotice(fqdn: string, plan: SpotPlan): Notice {
  const subject = `${fqdn} spot interruption`;
  if (plan.action === 'stop') {
    return { subject, message: `spot interruption: ${fqdn} is saving and stopping (nobody was playing). The next lookup starts it again.` };
  }
  const because =
    plan.why === 'players-on' ? 'players are on' : plan.why === 'starting' ? 'it was still starting' : 'the watchdog has not reported on this instance';
  return {
    subject,
    message: `spot interruption: ${fqdn} is saving and relaunches on a new instance (${because}); players can reconnect in a few minutes.`,
  };
}

function reasonOf(failure: LaunchFailure): string {
  return failure.cause ? `${failure.reason} (${failure.cause})` : failure.reason;
}

export function launchFailedNotice(fqdn: string, failure: LaunchFailure, failures: number, onDemand: boolean): Notice {
  const next = onDemand
    ? 'This start now uses on-demand capacity instead of spot; the next start tries spot again.'
    : 'Auto Scaling tries again by itself.';
  return {
    subject: `${fqdn} launch failed`,
    message: `An instance for ${fqdn} could not be launched (failure ${failures} of ${MAX_LAUNCH_FAILURES} this start): ${reasonOf(failure)}. ${next}`,
  };
}

export function gaveUpNotice(fqdn: string, failure: LaunchFailure, failures: number): Notice {
  return {
    subject: `${fqdn} start given up`,
    message:
      `Gave up starting ${fqdn} after ${failures} failed launches; the group is set to 0. Last reason: ${reasonOf(failure)}. ` +
      'Fix the cause (instance type, capacity, quota, subnet, launch template), then look the name up or run `gm start` again.',
  };
}

export function publicAddressMissingLog(ipv6: boolean, waitMs: number): string {
  return (
    `instance has no public ${ipv6 ? 'IPv4 and IPv6 address' : 'IPv4 address'} after ${Math.round(waitMs / 1000)} s; ` +
    'players cannot reach it by name. Check that the subnet assigns public addresses on launch ' +
    '(map_public_ip_on_launch / assign_ipv6_address_on_creation).'
  );
}

export function drainTimedOutLog(waitMs: number): string {
  return (
    `game task still running ${Math.round(waitMs / 1000)} s after it was asked to stop; the instance goes anyway. ` +
    "If worlds lose progress, lower the game's save time or raise its stop timeout (max 120 s)."
  );
}

export const FAILED_LOG =
  'event failed; Lambda retries it (one and three minutes later), and a lifecycle hook left waiting continues by itself at its heartbeat timeout';

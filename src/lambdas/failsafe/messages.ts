/**
 * Every text a person reads from the failsafe: the alerts (e-mail, Discord)
 * and the log sentences that explain a decision. Subjects are cleaned for SNS
 * by `publishNotice`.
 */
import type { Notice } from '../shared/notices';
import {
  CRASH_LOOP_WINDOW_MINUTES,
  explainingContainer,
  type CrashLoopVerdict,
  type FailedInvocation,
  type FailureOrigin,
  type HookAftermath,
  type HookWork,
} from './decide';

export function watchdogFailingAlert(fqdn: string, silentMinutes: number | undefined, error: string | undefined): Notice {
  const duration = silentMinutes === undefined ? 'an unknown time' : `${Math.floor(silentMinutes)} min`;
  return {
    subject: `${fqdn} stopped: watchdog failing`,
    message: `watchdog failing for ${duration}; stopped ${fqdn}: ${error || 'no error message'}`,
  };
}

export function crashLoopAlert(fqdn: string, verdict: CrashLoopVerdict): Notice {
  const last = verdict.last;
  const container = last ? explainingContainer(last) : undefined;
  const parts = [
    `game task crashed ${verdict.count} times in ${CRASH_LOOP_WINDOW_MINUTES} min; stopped ${fqdn}.`,
    `Last stop: ${last?.stoppedReason || last?.stopCode || 'no reason given'}`,
  ];
  if (container) {
    const exit = container.exitCode === undefined ? 'no exit code' : `exit code ${container.exitCode}`;
    parts.push(`(container ${container.name ?? '?'}: ${exit}${container.reason ? `, ${container.reason}` : ''})`);
  }
  return { subject: `${fqdn} stopped: game task crash loop`, message: parts.join(' ') };
}

/** "failed after 3 attempts: Sandbox.Timedout: …" or "was not run before its event expired". */
function howItFailed(failure: FailedInvocation): string {
  if (failure.condition === 'EventAgeExceeded') {
    return `was not run before its event expired (EventAgeExceeded)${failure.error ? `: ${failure.error}` : ''}`;
  }
  const attempts = failure.attempts !== undefined && failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';
  return `failed${attempts}: ${failure.error ?? 'no error message'}`;
}

function functionLabel(origin: FailureOrigin, fallback: string): string {
  return origin.name ? `${fallback} (${origin.name})` : fallback;
}

function logsHint(origin: FailureOrigin): string {
  return origin.name ? ` Its logs: CloudWatch log group /aws/lambda/${origin.name}.` : '';
}

function aftermathText(fqdn: string, aftermath: HookAftermath): string {
  switch (aftermath.kind) {
    case 'stopped':
      return `${aftermath.instanceId} was running while the watchdog ${aftermath.rule === 'missing' ? 'rule did not exist' : 'was off'}, so ${fqdn} was stopped rather than left running unwatched; the next lookup starts it again.`;
    case 'watched':
      return `The watchdog is on for ${aftermath.instanceId}, so ${fqdn} still stops when idle.`;
    case 'starting':
      return `${fqdn} is starting; its own launch hook switches the watchdog on.`;
    case 'stopping':
      return `${fqdn} is stopping.`;
    case 'nothing-runs':
      return `No instance of ${fqdn} runs now.`;
    case 'no-group':
      return `The Auto Scaling group of ${fqdn} does not exist; redeploy (cdktf deploy).`;
  }
}

/** What the failed work may have left undone, when something still runs that it matters for. */
function hookHint(work: HookWork, aftermath: HookAftermath): string {
  if (work.what.startsWith('the stop')) {
    return 'The game may not have been drained before its instance stopped, and its DNS records may still hold the old address.';
  }
  if (work.what.startsWith('the launch') && aftermath.kind === 'watched') {
    return 'The game may not have started on it, or its DNS records may not point at it yet.';
  }
  return '';
}

export function hookFailedAlert(fqdn: string, origin: FailureOrigin, work: HookWork, failure: FailedInvocation, aftermath: HookAftermath): Notice {
  const subject = aftermath.kind === 'stopped' ? `${fqdn} stopped: instance hook failed` : `${fqdn}: instance hook failed`;
  const message = [
    `The instance hook ${functionLabel(origin, 'function')} ${howItFailed(failure)} while handling ${work.what}.`,
    aftermathText(fqdn, aftermath),
    hookHint(work, aftermath),
    logsHint(origin).trim(),
  ]
    .filter((part) => part !== '')
    .join(' ');
  return { subject, message };
}

export function wakerFailedAlert(origin: FailureOrigin, failure: FailedInvocation): Notice {
  return {
    subject: 'GameManagement: waker failed',
    message: [
      `The waker ${functionLabel(origin, 'function')} ${howItFailed(failure)}.`,
      'Lookups in that batch may not have started their games; players who look the name up again retry the start.',
      logsHint(origin).trim(),
    ]
      .filter((part) => part !== '')
      .join(' '),
  };
}

/** A failure record of a function the failsafe does not know, or of another game's function. */
export function otherFunctionFailedAlert(fqdn: string, origin: FailureOrigin, failure: FailedInvocation): Notice {
  const which = origin.name ?? 'an unnamed function';
  const note = origin.ofThisGame
    ? ''
    : ` The failure record reached the failsafe of ${fqdn}, which does not stop another game; check the function's failure destination.`;
  return {
    subject: `GameManagement: ${which} failed`,
    message: `Lambda function ${which} ${howItFailed(failure)}.${note}${logsHint(origin)}`,
  };
}

export const LOG = {
  skipped: (why: string) => `skipped an event the failsafe cannot use: ${why}`,
  duplicate: (requestId: string) => `failure record ${requestId} was handled already; skipped`,
  noGroup: (asgName: string, gameId: string) =>
    `Auto Scaling group ${asgName} not found; nothing to stop. Check the deployment of game ${gameId} (cdktf deploy).`,
  ruleMissing: (ruleName: string) => `watchdog rule ${ruleName} does not exist: nothing watches the game; redeploy (cdktf deploy)`,
  stateUnusable: (name: string, problem: string) => `watchdog state ${name} unusable (${problem}); timing the silence from the instance launch`,
  groupAtZero: 'group already at 0; nothing to stop or announce',
  notSilentYet: (minutes: number | undefined) => `watchdog silent for ${minutes?.toFixed(1)} min; not stopping yet`,
  stopped: (fqdn: string) => `failsafe stopped ${fqdn}`,
  stopNotRecorded: (problem: string | undefined) => `the stop is not recorded in the watchdog state (${problem ?? 'no reason given'}); the game stops regardless`,
  alertFailedAfterStop: (topicArn: string) => `could not publish the failsafe alert to ${topicArn}; the game is stopped regardless`,
  notACrash: 'task stop is not a crash',
  notOurTask: 'task state change of another task or service; ignored',
  noLoopYet: (count: number) => `${count} crash(es) in the window; not a crash loop yet`,
  loopAtZero: 'crash loop, but the group is already at 0; nothing to do',
  unfinished: 'the failsafe could not finish; Lambda retries the event (every step is safe to repeat)',
} as const;

/**
 * Failsafe decisions, pure: is a stopped task a crash, is the game task
 * crash-looping, how long has the watchdog been silent. The handler feeds
 * them plain data read from ECS, SSM and Auto Scaling.
 */
import type { WatchdogState } from '../../runtime/contract';

/** The watchdog runs every minute; this many minutes without a completed run stops the game. */
export const WATCHDOG_FAILING_MINUTES = 3;
/** This many crashes of the game task ... */
export const CRASH_LOOP_COUNT = 3;
/** ... within this many minutes is a crash loop. ECS keeps stopped tasks for about an hour, so the window fits. */
export const CRASH_LOOP_WINDOW_MINUTES = 15;

const MINUTE_MS = 60_000;

/** A stopped (or stopping) ECS task, from an ECS Task State Change event or from DescribeTasks. */
export interface StoppedTask {
  readonly taskArn: string;
  /** `service:<name>` for tasks started by a service. */
  readonly group?: string;
  readonly lastStatus?: string;
  readonly desiredStatus?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  /** ISO time the task stopped. */
  readonly stoppedAt?: string;
  readonly containers: readonly StoppedContainer[];
}

export interface StoppedContainer {
  readonly name?: string;
  readonly exitCode?: number;
  readonly reason?: string;
}

/** Stop codes of tasks that ended on their own. */
const CRASH_STOP_CODES = new Set(['EssentialContainerExited', 'TaskFailedToStart']);
/**
 * The service scheduler also stops tasks whose container health check keeps
 * failing (stop code ServiceSchedulerInitiated, like a scale-in); that is a
 * crash too, told apart by its reason.
 */
const HEALTH_CHECK_REASON = /health ?checks?/i;

/**
 * True when the task stopped on its own. Not a crash: a scale-in or drain
 * (ServiceSchedulerInitiated), a stop by hand (UserInitiated), a spot
 * interruption or termination notice, and tasks not yet stopping.
 */
export function isCrash(task: StoppedTask): boolean {
  const code = task.stopCode;
  if (code === undefined) return false;
  if (CRASH_STOP_CODES.has(code)) return true;
  return code === 'ServiceSchedulerInitiated' && HEALTH_CHECK_REASON.test(task.stoppedReason ?? '');
}

export interface CrashLoopVerdict {
  readonly loop: boolean;
  /** Distinct crashed tasks inside the window. */
  readonly count: number;
  /** The crash that stopped most recently, when there is one. */
  readonly last?: StoppedTask;
}

/**
 * Counts distinct crashed tasks (by ARN, so a duplicated event counts once)
 * that stopped within the window before `now`. Tasks without a readable stop
 * time cannot be placed in the window and are not counted.
 */
export function crashLoop(stoppedTasks: readonly StoppedTask[], now: Date): CrashLoopVerdict {
  const windowStart = now.getTime() - CRASH_LOOP_WINDOW_MINUTES * MINUTE_MS;
  const crashes = new Map<string, { task: StoppedTask; at: number }>();
  for (const task of stoppedTasks) {
    if (!isCrash(task)) continue;
    const at = parseTime(task.stoppedAt);
    if (at === undefined || at < windowStart) continue;
    if (!crashes.has(task.taskArn)) crashes.set(task.taskArn, { task, at });
  }
  let last: { task: StoppedTask; at: number } | undefined;
  for (const crash of crashes.values()) {
    if (last === undefined || crash.at > last.at) last = crash;
  }
  return { loop: crashes.size >= CRASH_LOOP_COUNT, count: crashes.size, ...(last ? { last: last.task } : {}) };
}

/** True when the task belongs to the game's service in the game's cluster. */
export function isTaskOfService(task: StoppedTask, clusterArn: string | undefined, clusterName: string, serviceName: string): boolean {
  if (task.group !== `service:${serviceName}`) return false;
  // Accept the cluster's name or ARN; an event without a cluster is judged by its group alone.
  if (clusterArn === undefined) return true;
  return clusterArn === clusterName || clusterArn.endsWith(`:cluster/${clusterName}`);
}

/**
 * Minutes since the watchdog last completed a run (or, if it never has,
 * since the instance launched). Undefined when the state holds no readable
 * time.
 */
export function watchdogSilentMinutes(state: WatchdogState, now: Date): number | undefined {
  const since = parseTime(state.lastRunAt) ?? parseTime(state.launchedAt);
  return since === undefined ? undefined : minutesBetween(since, now.getTime());
}

export function minutesSince(time: Date, now: Date): number {
  return minutesBetween(time.getTime(), now.getTime());
}

/**
 * Stop when the watchdog has been silent long enough, or when nothing tells
 * how long (no state, no launch time): a failing watchdog that cannot be
 * timed must not keep an instance running for ever.
 */
export function shouldStopForSilentWatchdog(silentMinutes: number | undefined): boolean {
  return silentMinutes === undefined || silentMinutes >= WATCHDOG_FAILING_MINUTES;
}

/**
 * Reads the watchdog's state parameter. Undefined when it is missing or
 * garbled (not JSON, no instance id, no readable launch time).
 */
export function parseWatchdogState(raw: string | undefined): WatchdogState | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const state = value as Partial<Record<keyof WatchdogState, unknown>>;
  if (typeof state.instanceId !== 'string' || typeof state.launchedAt !== 'string') return undefined;
  if (parseTime(state.launchedAt) === undefined) return undefined;
  return value as WatchdogState;
}

/** The container whose exit explains the stop: a non-zero exit first, then one with a reason. */
export function explainingContainer(task: StoppedTask): StoppedContainer | undefined {
  return (
    task.containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ??
    task.containers.find((c) => c.reason !== undefined && c.reason !== '') ??
    task.containers[0]
  );
}

export interface Alert {
  readonly subject: string;
  readonly message: string;
}

/** SNS wants subjects of ASCII text shorter than 100 characters. */
const SUBJECT_MAX = 99;

export function watchdogFailingAlert(fqdn: string, silentMinutes: number | undefined, errorMessage: string | undefined): Alert {
  const duration = silentMinutes === undefined ? 'an unknown time' : `${Math.floor(silentMinutes)} min`;
  return {
    subject: subject(`${fqdn} stopped: watchdog failing`),
    message: `watchdog failing for ${duration}; stopped ${fqdn}: ${errorMessage || 'no error message'}`,
  };
}

export function crashLoopAlert(fqdn: string, verdict: CrashLoopVerdict): Alert {
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
  return { subject: subject(`${fqdn} stopped: game task crash loop`), message: parts.join(' ') };
}

function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function minutesBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MINUTE_MS;
}

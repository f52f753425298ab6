/**
 * The failsafe's decisions, pure and on plain data: what an event is, which
 * function a failure record comes from, is a stopped task a crash, is the
 * game crash-looping, how long the watchdog has been silent, does an instance
 * run unwatched. `flows.ts` feeds them what it read from AWS.
 */
import * as v from 'valibot';
import { worldHeld, type GroupSnapshot } from '../../runtime/session';
import type { WatchdogState } from '../../runtime/watchdog-state';

/** The watchdog runs every minute; this many minutes without a completed run stops the game. */
export const WATCHDOG_FAILING_MINUTES = 3;
/** This many crashes of the game task ... */
export const CRASH_LOOP_COUNT = 3;
/** ... within this many minutes is a crash loop. ECS keeps stopped tasks for about an hour, so the window fits. */
export const CRASH_LOOP_WINDOW_MINUTES = 15;

const MINUTE_MS = 60_000;

// ---------------------------------------------------------------- events

const maybeText = v.nullish(v.string());

/**
 * What Lambda sends to an on-failure destination once an asynchronous
 * invocation has failed for good. Format documented by AWS:
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * (`requestContext.condition` is `RetriesExhausted` or `EventAgeExceeded`;
 * an event dropped for its age has no response).
 */
const FailureRecordSchema = v.looseObject({
  version: maybeText,
  timestamp: maybeText,
  requestContext: v.looseObject({
    requestId: maybeText,
    functionArn: maybeText,
    condition: v.string(),
    approximateInvokeCount: v.nullish(v.number()),
  }),
  requestPayload: v.optional(v.unknown()),
  responseContext: v.nullish(v.looseObject({ functionError: maybeText })),
  // A function that returned a value rather than an error object (or none) leaves something else here.
  responsePayload: v.optional(v.unknown()),
});

/** The `detail` of an EventBridge "ECS Task State Change" event (the fields the failsafe reads). */
const TaskDetailSchema = v.looseObject({
  taskArn: maybeText,
  clusterArn: maybeText,
  group: maybeText,
  lastStatus: maybeText,
  desiredStatus: maybeText,
  stopCode: maybeText,
  stoppedReason: maybeText,
  stoppedAt: maybeText,
  containers: v.nullish(
    v.array(v.looseObject({ name: maybeText, exitCode: v.nullish(v.number()), reason: maybeText })),
  ),
});

/** The conditions under which Lambda gives up on an event; `Success` records are not failures. */
const FAILURE_CONDITIONS: ReadonlySet<string> = new Set(['RetriesExhausted', 'EventAgeExceeded']);

/** A failed invocation, read into what the failsafe uses. */
export interface FailedInvocation {
  /** `RetriesExhausted` (every attempt failed) or `EventAgeExceeded` (never run in time). */
  readonly condition: string;
  readonly requestId?: string;
  readonly functionArn?: string;
  /** ISO time Lambda wrote the record. */
  readonly timestamp?: string;
  readonly attempts?: number;
  /** The event the failed function was given. */
  readonly requestPayload: unknown;
  /** `Sandbox.Timedout: Task timed out after 30.00 seconds`, or undefined when the record has none. */
  readonly error?: string;
}

export type FailsafeEvent =
  | { readonly kind: 'failure'; readonly failure: FailedInvocation }
  | { readonly kind: 'task-stopped'; readonly task: StoppedTask; readonly clusterArn?: string }
  | { readonly kind: 'skip'; readonly why: string };

/**
 * Tells the failsafe's events apart. Anything else is `skip` with a reason,
 * never thrown: a retry cannot make a malformed event readable.
 */
export function classifyEvent(event: unknown): FailsafeEvent {
  if (!isObject(event)) return { kind: 'skip', why: 'the event is not a JSON object' };
  if (event.source === 'aws.ecs') {
    if (event['detail-type'] !== 'ECS Task State Change') {
      return { kind: 'skip', why: `ECS event of type ${String(event['detail-type'])} is not a task state change` };
    }
    const detail = v.safeParse(TaskDetailSchema, event.detail);
    if (!detail.success) return { kind: 'skip', why: `ECS task state change with a malformed detail (${issuePath(detail.issues)})` };
    const task = stoppedTaskOf(detail.output);
    if (!task) return { kind: 'skip', why: 'ECS task state change without a task ARN' };
    return { kind: 'task-stopped', task, ...(detail.output.clusterArn ? { clusterArn: detail.output.clusterArn } : {}) };
  }
  if ('requestContext' in event) {
    const record = v.safeParse(FailureRecordSchema, event);
    if (!record.success) return { kind: 'skip', why: `Lambda destination record is malformed (${issuePath(record.issues)})` };
    const { requestContext: context } = record.output;
    if (!FAILURE_CONDITIONS.has(context.condition)) {
      return { kind: 'skip', why: `Lambda destination record with condition ${context.condition} is not a failure` };
    }
    const error = errorOf(record.output.responsePayload, record.output.responseContext?.functionError ?? undefined);
    return {
      kind: 'failure',
      failure: {
        condition: context.condition,
        ...(context.requestId ? { requestId: context.requestId } : {}),
        ...(context.functionArn ? { functionArn: context.functionArn } : {}),
        ...(record.output.timestamp ? { timestamp: record.output.timestamp } : {}),
        ...(typeof context.approximateInvokeCount === 'number' ? { attempts: context.approximateInvokeCount } : {}),
        requestPayload: record.output.requestPayload,
        ...(error ? { error } : {}),
      },
    };
  }
  return { kind: 'skip', why: 'neither a Lambda failure-destination record nor an ECS task state change' };
}

/** `errorType: errorMessage` of a Node or Python error payload; the function error kind when there is nothing else. */
function errorOf(payload: unknown, functionError: string | undefined): string | undefined {
  if (isObject(payload)) {
    const type = typeof payload.errorType === 'string' ? payload.errorType : undefined;
    const message = typeof payload.errorMessage === 'string' && payload.errorMessage !== '' ? payload.errorMessage : undefined;
    if (type && message) return `${type}: ${message}`;
    if (type || message) return type ?? message;
  }
  if (typeof payload === 'string' && payload !== '') return payload;
  return functionError ? `${functionError} error` : undefined;
}

// ---------------------------------------------------------------- which function failed

export type FunctionRole = 'watchdog' | 'instance-hook' | 'waker' | 'unknown';

export interface FailureOrigin {
  readonly role: FunctionRole;
  /** The function's name (from its ARN), when the record names it. */
  readonly name?: string;
  /** False for a per-game function named for another game (a destination wired to the wrong failsafe). */
  readonly ofThisGame: boolean;
}

/** The function name in `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export function functionNameOfArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const parts = arn.split(':');
  return parts[5] === 'function' && parts[6] ? parts[6] : undefined;
}

/** Roles by the name suffix the constructs give them (`<prefix>-<game>-watchdog`, `<prefix>-waker`). */
const ROLE_SUFFIXES: readonly (readonly [Exclude<FunctionRole, 'unknown'>, string])[] = [
  ['instance-hook', '-instance-hook'],
  ['watchdog', '-watchdog'],
  ['waker', '-waker'],
];

/**
 * Which function failed: by its name when the record names it, else by the
 * event it was given (a schedule for the watchdog, lifecycle events for the
 * instance hook, CloudWatch Logs data for the waker).
 */
export function failureOrigin(failure: FailedInvocation, gameId: string): FailureOrigin {
  const name = functionNameOfArn(failure.functionArn);
  if (name) {
    for (const [role, suffix] of ROLE_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const ofThisGame = role === 'waker' || name.endsWith(`-${gameId}${suffix}`);
      return { role, name, ofThisGame };
    }
  }
  return { role: roleOfPayload(failure.requestPayload), ...(name ? { name } : {}), ofThisGame: true };
}

function roleOfPayload(payload: unknown): FunctionRole {
  if (!isObject(payload)) return 'unknown';
  if (isObject(payload.awslogs)) return 'waker';
  if (payload['detail-type'] === 'Scheduled Event') return 'watchdog';
  if (payload.source === 'aws.autoscaling' || payload['detail-type'] === 'EC2 Spot Instance Interruption Warning') return 'instance-hook';
  return 'unknown';
}

/** What the instance hook was doing when it failed, from the event it was given. */
export interface HookWork {
  /** `the launch of i-0123…`, `the stop of i-0123…`, … for the alert. */
  readonly what: string;
  readonly instanceId?: string;
}

export function hookWorkOf(payload: unknown): HookWork {
  if (!isObject(payload)) return { what: 'an event' };
  const detail = isObject(payload.detail) ? payload.detail : {};
  const detailType = payload['detail-type'];
  if (detailType === 'EC2 Spot Instance Interruption Warning') {
    const id = textOrUndefined(detail['instance-id']);
    return { what: `the spot interruption of ${id ?? 'an instance'}`, ...(id ? { instanceId: id } : {}) };
  }
  const id = textOrUndefined(detail.EC2InstanceId);
  const instance = id ?? 'an instance';
  const withId = id ? { instanceId: id } : {};
  if (detailType === 'EC2 Instance Launch Unsuccessful') return { what: 'a failed launch', ...withId };
  if (detail.LifecycleTransition === 'autoscaling:EC2_INSTANCE_LAUNCHING' || detailType === 'EC2 Instance-launch Lifecycle Action') {
    return { what: `the launch of ${instance}`, ...withId };
  }
  if (detail.LifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING' || detailType === 'EC2 Instance-terminate Lifecycle Action') {
    return { what: `the stop of ${instance}`, ...withId };
  }
  return { what: typeof detailType === 'string' ? `an event "${detailType}"` : 'an event', ...withId };
}

// ---------------------------------------------------------------- unwatched instances

/** The watchdog's EventBridge rule as DescribeRule reports it; `missing` when it does not exist. */
export type RuleState = 'enabled' | 'disabled' | 'missing';

export function ruleStateOf(state: string | undefined): Exclude<RuleState, 'missing'> {
  // ENABLED, or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
  return state?.startsWith('ENABLED') ? 'enabled' : 'disabled';
}

/**
 * The instance that serves the game past its launch hook: the group wants it
 * (desired ≥ 1) and it is `InService`. An instance still `Pending` is under
 * its launch hook, which switches the watchdog on; judging it now would stop
 * a start that is going well.
 */
export function servingInstance(group: GroupSnapshot | undefined): string | undefined {
  if (!group || group.desiredCapacity < 1) return undefined;
  return group.instances.find((i) => i.lifecycleState === 'InService')?.instanceId;
}

/** True when the group holds a serving instance and nothing watches it (rule off or gone): stop it. */
export function runsUnwatched(instanceId: string | undefined, rule: RuleState | undefined): boolean {
  return instanceId !== undefined && rule !== undefined && rule !== 'enabled';
}

/** What an instance-hook failure leaves running, for the alert. */
export type HookAftermath =
  | { readonly kind: 'stopped'; readonly instanceId: string; readonly rule: 'disabled' | 'missing' }
  | { readonly kind: 'watched'; readonly instanceId: string }
  | { readonly kind: 'starting' }
  | { readonly kind: 'nothing-runs' }
  | { readonly kind: 'stopping' }
  | { readonly kind: 'no-group' };

export function hookAftermath(group: GroupSnapshot | undefined, instanceId: string | undefined, rule: RuleState | undefined): HookAftermath {
  if (!group) return { kind: 'no-group' };
  if (instanceId !== undefined && rule !== undefined) {
    return rule === 'enabled' ? { kind: 'watched', instanceId } : { kind: 'stopped', instanceId, rule };
  }
  if (group.desiredCapacity >= 1) return { kind: 'starting' };
  // The same rule a start follows: a host that may still have the world mounted is still stopping.
  return worldHeld(group) ? { kind: 'stopping' } : { kind: 'nothing-runs' };
}

// ---------------------------------------------------------------- watchdog silence

/**
 * Minutes since the watchdog last showed life: its last completed run, or
 * when its state was started, or when the instance launched — the latest of
 * those the state holds (a state started afresh mid-session counts from then).
 */
export function watchdogSilentMinutes(state: WatchdogState, now: Date): number | undefined {
  const times = [state.lastRunAt, state.watchingSince, state.launchedAt].map(parseTime).filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : minutesBetween(Math.max(...times), now.getTime());
}

/** True when the state belongs to an instance the group has (or the group lists none to compare with). */
export function stateIsCurrent(state: WatchdogState, group: GroupSnapshot): boolean {
  return group.instances.length === 0 || group.instances.some((i) => i.instanceId === state.instanceId);
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

// ---------------------------------------------------------------- crash loop

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

function stoppedTaskOf(detail: v.InferOutput<typeof TaskDetailSchema>): StoppedTask | undefined {
  if (!detail.taskArn) return undefined;
  return {
    taskArn: detail.taskArn,
    ...present('group', detail.group),
    ...present('lastStatus', detail.lastStatus),
    ...present('desiredStatus', detail.desiredStatus),
    ...present('stopCode', detail.stopCode),
    ...present('stoppedReason', detail.stoppedReason),
    ...present('stoppedAt', detail.stoppedAt),
    containers: (detail.containers ?? []).map((c) => ({
      ...present('name', c.name),
      ...(typeof c.exitCode === 'number' ? { exitCode: c.exitCode } : {}),
      ...present('reason', c.reason),
    })),
  };
}

/** Stop codes of tasks that ended on their own. */
const CRASH_STOP_CODES: ReadonlySet<string> = new Set(['EssentialContainerExited', 'TaskFailedToStart']);
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

/** The container whose exit explains the stop: a non-zero exit first, then one with a reason. */
export function explainingContainer(task: StoppedTask): StoppedContainer | undefined {
  return (
    task.containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ??
    task.containers.find((c) => c.reason !== undefined && c.reason !== '') ??
    task.containers[0]
  );
}

// ---------------------------------------------------------------- helpers

function present<K extends string>(key: K, value: string | null | undefined): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function issuePath(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  return issue ? `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}` : 'unreadable';
}

function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function minutesBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MINUTE_MS;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

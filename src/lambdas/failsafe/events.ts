/**
 * The two kinds of event the failsafe receives, told apart and read into
 * plain data. Anything else is reported as unknown rather than thrown:
 * throwing would only make Lambda retry an event that can never succeed.
 */
import type { StoppedContainer, StoppedTask } from './logic';

/** What Lambda sends to the watchdog's on-failure destination after an asynchronous invocation fails. */
export interface WatchdogFailureRecord {
  readonly version?: string;
  readonly timestamp?: string;
  readonly requestContext: {
    readonly requestId?: string;
    readonly functionArn?: string;
    /** 'RetriesExhausted' or 'EventAgeExceeded'; both mean the run did not complete. */
    readonly condition: string;
    readonly approximateInvokeCount?: number;
  };
  readonly requestPayload?: unknown;
  readonly responseContext?: { readonly statusCode?: number; readonly executedVersion?: string; readonly functionError?: string };
  readonly responsePayload?: { readonly errorType?: string; readonly errorMessage?: string; readonly trace?: readonly string[] } | null;
}

/** The `detail` of an EventBridge "ECS Task State Change" event (the fields the failsafe reads). */
export interface EcsTaskStateChangeDetail {
  readonly taskArn?: string;
  readonly clusterArn?: string;
  readonly group?: string;
  readonly lastStatus?: string;
  readonly desiredStatus?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly stoppedAt?: string;
  readonly containers?: readonly { readonly name?: string; readonly exitCode?: number; readonly reason?: string }[];
}

export type FailsafeEvent =
  | { readonly kind: 'watchdog-failure'; readonly record: WatchdogFailureRecord }
  | { readonly kind: 'ecs-task'; readonly detail: EcsTaskStateChangeDetail }
  | { readonly kind: 'unknown'; readonly why: string };

export function classifyEvent(event: unknown): FailsafeEvent {
  if (!isObject(event)) return { kind: 'unknown', why: 'the event is not a JSON object' };
  if (event.source === 'aws.ecs') {
    if (event['detail-type'] !== 'ECS Task State Change') {
      return { kind: 'unknown', why: `ECS event of type ${String(event['detail-type'])} is not a task state change` };
    }
    if (!isObject(event.detail)) return { kind: 'unknown', why: 'ECS task state change without a detail object' };
    return { kind: 'ecs-task', detail: event.detail as EcsTaskStateChangeDetail };
  }
  if (isObject(event.requestContext) && typeof event.requestContext.condition === 'string') {
    return { kind: 'watchdog-failure', record: event as unknown as WatchdogFailureRecord };
  }
  return { kind: 'unknown', why: 'neither a Lambda failure-destination record nor an ECS task state change' };
}

/** The task of an ECS event as a `StoppedTask`; undefined without a task ARN (nothing to count it by). */
export function stoppedTaskFromDetail(detail: EcsTaskStateChangeDetail): StoppedTask | undefined {
  if (typeof detail.taskArn !== 'string' || detail.taskArn === '') return undefined;
  const containers: StoppedContainer[] = Array.isArray(detail.containers)
    ? detail.containers.filter(isObject).map((c) => ({
        ...(typeof c.name === 'string' ? { name: c.name } : {}),
        ...(typeof c.exitCode === 'number' ? { exitCode: c.exitCode } : {}),
        ...(typeof c.reason === 'string' ? { reason: c.reason } : {}),
      }))
    : [];
  return {
    taskArn: detail.taskArn,
    ...stringField('group', detail.group),
    ...stringField('lastStatus', detail.lastStatus),
    ...stringField('desiredStatus', detail.desiredStatus),
    ...stringField('stopCode', detail.stopCode),
    ...stringField('stoppedReason', detail.stoppedReason),
    ...stringField('stoppedAt', detail.stoppedAt),
    containers,
  };
}

function stringField<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Failures on demand: throttling, a service's 5xx, or a call that hangs past
 * the client's request timeout (the SDK then throws an error named
 * `TimeoutError`), for a command, a service, or the n-th call from now.
 *
 * aws-sdk-client-mock replaces the clients' `send`, so the SDK's own retries
 * never run here: one injected failure stands for a call that still failed
 * after all of the SDK's attempts — what the function itself sees.
 */
import { awsError, timeoutError } from '../../support/aws-errors';
import type { ServiceName } from '../../support/aws-mocks';

export type FaultKind = 'throttle' | 'server' | 'timeout';

export interface FaultRule {
  /** Command name without "Command", e.g. "SetDesiredCapacity"; any command when absent. */
  readonly command?: string;
  readonly service?: ServiceName;
  readonly kind: FaultKind | Error;
  /** How many matching calls fail (default 1; Infinity for all). */
  readonly times?: number;
  /**
   * For a timeout: the request reached AWS and took effect, only the answer
   * was lost (what makes retries of non-idempotent calls dangerous).
   */
  readonly applied?: boolean;
  /** Only calls whose input satisfies this. */
  readonly when?: (input: Record<string, unknown>) => boolean;
}

export interface AwsCall {
  /** 1-based, in the order the calls reached the fake. */
  readonly n: number;
  readonly at: string;
  readonly service: ServiceName;
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** "ok", the error's name for an error AWS answered, or "fault:<name>" for an injected one. */
  outcome: string;
}

/** Error names each service uses for throttling and for a server-side failure. */
const THROTTLE: Record<ServiceName, string> = {
  autoScaling: 'Throttling',
  cloudWatch: 'Throttling',
  ec2: 'RequestLimitExceeded',
  ecs: 'ThrottlingException',
  eventBridge: 'ThrottlingException',
  route53: 'Throttling',
  sns: 'Throttling',
  ssm: 'ThrottlingException',
};
const SERVER: Record<ServiceName, string> = {
  autoScaling: 'InternalFailure',
  cloudWatch: 'InternalServiceError',
  ec2: 'InternalError',
  ecs: 'ServerException',
  eventBridge: 'InternalException',
  route53: 'ServiceUnavailable',
  sns: 'InternalError',
  ssm: 'InternalServerError',
};

export function faultError(service: ServiceName, kind: FaultKind): Error {
  switch (kind) {
    case 'throttle':
      return Object.assign(awsError(THROTTLE[service], 'Rate exceeded'), { $retryable: { throttling: true } });
    case 'server':
      return awsError(SERVER[service], 'We encountered an internal error. Please try again.', service === 'route53' ? 503 : 500);
    case 'timeout':
      return timeoutError();
  }
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class Faults {
  readonly calls: AwsCall[] = [];
  /** The injected failures that fired, in words ("3 ssm PutParameter throttle"). */
  readonly fired: string[] = [];
  private rules: ActiveRule[] = [];
  private byCallNumber = new Map<number, { kind: FaultKind | Error; applied: boolean }>();

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /** Fails the `nth` call from now (1 = the next one). */
  failCall(nth: number, kind: FaultKind | Error, applied = false): void {
    this.byCallNumber.set(this.calls.length + nth, { kind, applied });
  }

  clear(): void {
    this.rules = [];
    this.byCallNumber.clear();
  }

  /** Injected failures still to fire. */
  get armed(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0) + this.byCallNumber.size;
  }

  /** Records the call and returns the failure to throw for it, if any. */
  check(service: ServiceName, command: string, input: Record<string, unknown>, at: string): { call: AwsCall; fault?: { error: Error; applied: boolean } } {
    const call: AwsCall = { n: this.calls.length + 1, at, service, command, input, outcome: 'ok' };
    this.calls.push(call);
    const numbered = this.byCallNumber.get(call.n);
    if (numbered) this.byCallNumber.delete(call.n);
    const rule = numbered
      ? undefined
      : this.rules.find((r) => r.remaining > 0 && (!r.command || r.command === command) && (!r.service || r.service === service) && (!r.when || r.when(input)));
    if (rule) rule.remaining--;
    const chosen = numbered ?? (rule ? { kind: rule.kind, applied: rule.applied ?? false } : undefined);
    if (!chosen) return { call };
    const error = chosen.kind instanceof Error ? chosen.kind : faultError(service, chosen.kind);
    call.outcome = `fault:${error.name}`;
    this.fired.push(`${call.n} ${service} ${command} ${error.name}${chosen.applied ? ' (applied)' : ''}`);
    return { call, fault: { error, applied: chosen.applied && error.name === 'TimeoutError' } };
  }
}

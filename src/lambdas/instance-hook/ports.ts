/**
 * The small interfaces the hook's flows need from the outside world. The
 * handler implements them with AWS clients; each method is one AWS call or
 * one read, so the flows stay readable and the calls stay easy to assert.
 */
import type { ChangeBatch } from '@aws-sdk/client-route-53';
import type { WatchdogState } from '../../runtime/contract';
import type { GroupInstance, LifecycleAction } from './logic';

export interface InstanceFacts {
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly launchTime?: Date;
}

export interface HookPorts {
  /** Enables the game's watchdog schedule. */
  enableWatchdog(): Promise<void>;
  disableWatchdog(): Promise<void>;
  /** The watchdog state in SSM; undefined when missing or unreadable. */
  readWatchdogState(): Promise<WatchdogState | undefined>;
  writeWatchdogState(state: WatchdogState): Promise<void>;
  /** Rolls the service onto the family's newest ACTIVE revision with one task. */
  startGame(): Promise<void>;
  /** Sets the service to zero tasks; 'missing' when the cluster or service does not exist. */
  stopGame(): Promise<'stopping' | 'missing'>;
  /** Tasks of the service whose container has not exited yet. */
  countUnstoppedTasks(): Promise<number>;
  /** Instances of the game's group; empty when the group does not exist. */
  groupInstances(): Promise<GroupInstance[]>;
  /** Addresses and launch time; undefined while EC2 does not know the instance (yet). */
  describeInstance(instanceId: string): Promise<InstanceFacts | undefined>;
  changeRecords(batch: ChangeBatch): Promise<void>;
  /** CONTINUE; 'already-done' when Auto Scaling has no such action anymore (duplicate or late event). */
  completeLifecycleAction(action: LifecycleAction): Promise<'completed' | 'already-done'>;
  notify(subject: string, message: string): Promise<void>;
}

/** Time, injectable so tests never sleep. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Bounds of the waits. All must end well below the function's 300 s timeout. */
export interface HookTiming {
  /** How long a launch waits for the instance's public address. */
  readonly addressWaitMs: number;
  readonly addressPollMs: number;
  /** Added to the game's stop timeout for the task to be reported stopped. */
  readonly drainGraceMs: number;
  /** Upper bound of the drain wait whatever the stop timeout says. */
  readonly drainWaitMaxMs: number;
  readonly drainPollMs: number;
}

export const DEFAULT_TIMING: HookTiming = {
  addressWaitMs: 120_000,
  addressPollMs: 3_000,
  drainGraceMs: 30_000,
  drainWaitMaxMs: 220_000,
  drainPollMs: 5_000,
};

/** What the flows log; Powertools' Logger satisfies it. */
export interface HookLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Counters the flows emit (one per thing that happened, never on ignored events). */
export type HookMetricName =
  | 'InstanceLaunched'
  | 'InstanceStopped'
  | 'SpotInterruption'
  | 'PublicAddressMissing'
  | 'DrainTimedOut';

export interface HookMetrics {
  count(name: HookMetricName): void;
}

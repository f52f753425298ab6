/**
 * Pure decisions of the instance hook: what an event means for this game,
 * which DNS changes to make, whether a stop may touch shared state, and how
 * to word the notices. No AWS calls here.
 */
import type { ChangeBatch } from '@aws-sdk/client-route-53';
import type { RuntimeGame } from '../../runtime/contract';

/** The lifecycle action an Auto Scaling event asks us to complete. */
export interface LifecycleAction {
  readonly groupName: string;
  readonly hookName: string;
  readonly token: string;
  readonly instanceId: string;
}

export type HookDecision =
  /** An instance enters service: roll out the game and point DNS at it. */
  | { readonly kind: 'launch'; readonly instanceId: string; readonly action: LifecycleAction; readonly time?: string }
  /** An instance leaves service: save the world, restore the placeholder. */
  | { readonly kind: 'terminate'; readonly instanceId: string; readonly action: LifecycleAction; readonly time?: string }
  /** A move into or out of the warm pool that does not change whether the game is served. */
  | { readonly kind: 'warm-pool'; readonly instanceId: string; readonly action: LifecycleAction }
  /** EC2 reclaims a spot instance in about two minutes. */
  | { readonly kind: 'spot'; readonly instanceId: string; readonly time?: string }
  | { readonly kind: 'ignore'; readonly reason: string; readonly instanceId?: string };

/** One instance of the game's Auto Scaling group. */
export interface GroupInstance {
  readonly instanceId: string;
  /** Auto Scaling lifecycle state, e.g. `Pending:Wait`, `InService`, `Terminating:Wait`. */
  readonly lifecycleState: string;
}

const LAUNCH_DETAIL_TYPE = 'EC2 Instance-launch Lifecycle Action';
const TERMINATE_DETAIL_TYPE = 'EC2 Instance-terminate Lifecycle Action';
const SPOT_DETAIL_TYPE = 'EC2 Spot Instance Interruption Warning';
const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';

/**
 * States in which an instance is, or is about to be, the game's host.
 * `Pending:Proceed` follows a completed launch action, before `InService`.
 */
const SERVING_STATES: ReadonlySet<string> = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService']);

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Reads what an EventBridge event asks of this game's hook. Never throws: malformed input is `ignore`. */
export function classify(event: unknown, game: Pick<RuntimeGame, 'asgName'>): HookDecision {
  const envelope = asRecord(event);
  if (!envelope) return { kind: 'ignore', reason: 'event is not a JSON object' };
  const detail = asRecord(envelope.detail);
  if (!detail) return { kind: 'ignore', reason: 'event has no detail object' };
  const source = envelope.source;
  const detailType = envelope['detail-type'];
  const time = nonEmptyString(envelope.time);

  if (source === 'aws.ec2' && detailType === SPOT_DETAIL_TYPE) {
    const instanceId = nonEmptyString(detail['instance-id']);
    if (!instanceId) return { kind: 'ignore', reason: 'spot interruption warning without instance-id' };
    // Whether the instance is this game's is only known to Auto Scaling; the flow asks it.
    return { kind: 'spot', instanceId, ...(time ? { time } : {}) };
  }

  if (source !== 'aws.autoscaling' || (detailType !== LAUNCH_DETAIL_TYPE && detailType !== TERMINATE_DETAIL_TYPE)) {
    return { kind: 'ignore', reason: `not a lifecycle event (source ${String(source)}, detail-type ${String(detailType)})` };
  }

  const groupName = nonEmptyString(detail.AutoScalingGroupName);
  const instanceId = nonEmptyString(detail.EC2InstanceId);
  if (groupName !== game.asgName) {
    return { kind: 'ignore', reason: `group ${String(groupName)} is not this game's group ${game.asgName}`, ...(instanceId ? { instanceId } : {}) };
  }
  const hookName = nonEmptyString(detail.LifecycleHookName);
  const token = nonEmptyString(detail.LifecycleActionToken);
  if (!instanceId || !hookName || !token) {
    return { kind: 'ignore', reason: 'lifecycle event lacks EC2InstanceId, LifecycleHookName or LifecycleActionToken' };
  }
  const action: LifecycleAction = { groupName, hookName, token, instanceId };
  const transition = detail.LifecycleTransition;
  const origin = detail.Origin;
  const destination = detail.Destination;

  // Entering service (from EC2 or from the warm pool: a warm instance gets a new public IP when it starts).
  if (transition === LAUNCHING && destination === 'AutoScalingGroup') {
    return { kind: 'launch', instanceId, action, ...(time ? { time } : {}) };
  }
  // Leaving service (terminated, or stopped back into the warm pool): the game runs there and must save.
  if (transition === TERMINATING && origin === 'AutoScalingGroup') {
    return { kind: 'terminate', instanceId, action, ...(time ? { time } : {}) };
  }
  // EC2 → WarmPool and WarmPool → EC2: the game never ran on the instance.
  if ((transition === LAUNCHING || transition === TERMINATING) && (origin === 'WarmPool' || destination === 'WarmPool')) {
    return { kind: 'warm-pool', instanceId, action };
  }
  // Without Origin/Destination (older event shapes, hand-written events) the transition alone decides.
  if (origin === undefined && destination === undefined) {
    return transition === LAUNCHING
      ? { kind: 'launch', instanceId, action, ...(time ? { time } : {}) }
      : transition === TERMINATING
        ? { kind: 'terminate', instanceId, action, ...(time ? { time } : {}) }
        : { kind: 'ignore', reason: `unknown LifecycleTransition ${String(transition)}`, instanceId };
  }
  return {
    kind: 'ignore',
    reason: `unexpected transition ${String(transition)} from ${String(origin)} to ${String(destination)}`,
    instanceId,
  };
}

/** True when the instance is in the group in a state where it is, or becomes, the game's host. */
export function isServingInGroup(groupInstances: readonly GroupInstance[], instanceId: string): boolean {
  return groupInstances.some((i) => i.instanceId === instanceId && SERVING_STATES.has(i.lifecycleState));
}

/**
 * A stop may reset DNS, drain the service and disable the watchdog only when
 * no other instance of the group is (about to be) serving: otherwise the
 * event is late or duplicated and those resources already belong to the
 * newer instance.
 */
export function shouldRestorePlaceholder(groupInstances: readonly GroupInstance[], terminatingId: string): boolean {
  return !groupInstances.some((i) => i.instanceId !== terminatingId && SERVING_STATES.has(i.lifecycleState));
}

/** UPSERTs of the game's A (and AAAA) record in one batch; empty `Changes` when there is no address. */
export function recordChanges(fqdn: string, ipv4: string | undefined, ipv6: string | undefined, ttl: number, comment?: string): ChangeBatch {
  const record = (type: 'A' | 'AAAA', value: string) => ({
    Action: 'UPSERT' as const,
    ResourceRecordSet: { Name: fqdn, Type: type, TTL: ttl, ResourceRecords: [{ Value: value }] },
  });
  return {
    ...(comment ? { Comment: comment } : {}),
    Changes: [...(ipv4 ? [record('A', ipv4)] : []), ...(ipv6 ? [record('AAAA', ipv6)] : [])],
  };
}

/** "2 h 10 min", "7 min", "< 1 min" — rounded to the minute. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 30_000) return '< 1 min';
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** The notice sent when the game's instance has stopped. */
export function stoppedMessage(fqdn: string, uptimeMs: number | undefined): string {
  return uptimeMs === undefined ? `stopped ${fqdn}` : `stopped ${fqdn} after ${formatDuration(uptimeMs)}`;
}

export function spotMessage(fqdn: string): string {
  return `spot interruption: ${fqdn} is saving and stopping`;
}

/**
 * When the instance started serving: the launch time the hook recorded for
 * this instance, else EC2's LaunchTime. Undefined when neither is known.
 */
export function servingSince(
  instanceId: string,
  state: { readonly instanceId: string; readonly launchedAt: string } | undefined,
  ec2LaunchTime: Date | undefined,
): number | undefined {
  if (state && state.instanceId === instanceId) {
    const recorded = Date.parse(state.launchedAt);
    if (Number.isFinite(recorded)) return recorded;
  }
  return ec2LaunchTime ? ec2LaunchTime.getTime() : undefined;
}

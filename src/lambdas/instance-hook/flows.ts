/**
 * What the hook does for each kind of event, written against small injected
 * interfaces. Every step is safe to repeat: events arrive at least once and
 * out of order.
 */
import { PLACEHOLDER_IPV4, PLACEHOLDER_IPV6, RECORD_TTL_SECONDS, type RuntimeGame, type WatchdogState } from '../../runtime/contract';
import { step } from '../shared/steps';
import {
  isServingInGroup,
  recordChanges,
  servingSince,
  shouldRestorePlaceholder,
  spotMessage,
  stoppedMessage,
  type HookDecision,
  type LifecycleAction,
} from './logic';
import { pollUntil } from '../shared/poll';
import type { Clock, HookLog, HookMetrics, HookPorts, HookTiming, InstanceFacts } from './ports';

export interface FlowContext {
  readonly game: RuntimeGame;
  readonly ports: HookPorts;
  readonly clock: Clock;
  readonly timing: HookTiming;
  readonly log: HookLog;
  readonly metrics: HookMetrics;
}

export type DnsOutcome = 'updated' | 'placeholder' | 'unchanged-no-address' | 'unchanged-not-serving' | 'unchanged';
export type LifecycleOutcome = 'completed' | 'already-done';

/** A summary of what was done, returned by the handler and logged. */
export type HookOutcome =
  | { readonly kind: 'launch'; readonly instanceId: string; readonly dns: DnsOutcome; readonly lifecycle: LifecycleOutcome }
  | { readonly kind: 'terminate'; readonly instanceId: string; readonly dns: DnsOutcome; readonly lifecycle: LifecycleOutcome; readonly notified: boolean }
  | { readonly kind: 'warm-pool'; readonly instanceId: string; readonly lifecycle: LifecycleOutcome }
  | { readonly kind: 'spot'; readonly instanceId: string; readonly dns: DnsOutcome; readonly notified: boolean }
  | { readonly kind: 'ignore'; readonly reason: string; readonly instanceId?: string };

export async function runDecision(decision: HookDecision, ctx: FlowContext): Promise<HookOutcome> {
  switch (decision.kind) {
    case 'launch':
      return launch(decision.instanceId, decision.action, decision.time, ctx);
    case 'terminate':
      return terminate(decision.instanceId, decision.action, ctx);
    case 'warm-pool':
      return { kind: 'warm-pool', instanceId: decision.instanceId, lifecycle: await complete(decision.action, ctx) };
    case 'spot':
      return spot(decision.instanceId, ctx);
    case 'ignore':
      return decision;
  }
}

function placeholderBatch(game: RuntimeGame, why: string) {
  return recordChanges(game.fqdn, PLACEHOLDER_IPV4, game.ipv6 ? PLACEHOLDER_IPV6 : undefined, RECORD_TTL_SECONDS, why);
}

function complete(action: LifecycleAction, ctx: FlowContext): Promise<LifecycleOutcome> {
  return step('complete lifecycle action', () => ctx.ports.completeLifecycleAction(action));
}

function hasAddresses(facts: InstanceFacts | undefined, ipv6: boolean): boolean {
  return facts?.ipv4 !== undefined && (!ipv6 || facts.ipv6 !== undefined);
}

async function launch(instanceId: string, action: LifecycleAction, time: string | undefined, ctx: FlowContext): Promise<HookOutcome> {
  const { game, ports, log } = ctx;
  // First, so the failsafe watchdog runs even when a later step fails.
  await step('enable watchdog rule', () => ports.enableWatchdog());

  const before = await step('describe group', () => ports.groupInstances());
  if (!isServingInGroup(before, instanceId)) {
    // A late or replayed launch event of an instance that is already leaving: starting the
    // service or pointing DNS at it would break the stopped state the terminate left behind.
    log.warn('launch event for an instance that is not serving in the group; service and DNS left alone', {
      instanceId,
      groupInstances: before,
    });
    if (shouldRestorePlaceholder(before, instanceId)) {
      await step('disable watchdog rule', () => ports.disableWatchdog());
    }
    return { kind: 'launch', instanceId, dns: 'unchanged-not-serving', lifecycle: await complete(action, ctx) };
  }

  const previous = await step('read watchdog state', () => ports.readWatchdogState());
  // A replayed launch must not wipe what the watchdog learned since (ready time, players).
  if (previous?.instanceId !== instanceId) {
    const fresh: WatchdogState = {
      instanceId,
      launchedAt: time ?? new Date(ctx.clock.now()).toISOString(),
      everJoined: false,
      consecutiveProbeErrors: 0,
      maxHoursAlerted: false,
    };
    await step('write watchdog state', () => ports.writeWatchdogState(fresh));
  }

  await step('start game service', () => ports.startGame());

  const wait = await step('wait for public address', () =>
    pollUntil(() => ports.describeInstance(instanceId), (facts) => hasAddresses(facts, game.ipv6), {
      clock: ctx.clock,
      timeoutMs: ctx.timing.addressWaitMs,
      intervalMs: ctx.timing.addressPollMs,
      onTransientError: (e) => log.warn('describing the instance failed; polling again', { error: e.name }),
    }),
  );
  if (!wait.done) {
    ctx.metrics.count('PublicAddressMissing');
    log.error(
      `instance has no public ${game.ipv6 ? 'IPv4 and IPv6 address' : 'IPv4 address'} after ${Math.round(ctx.timing.addressWaitMs / 1000)} s; ` +
        'players cannot reach it by name. Check that the subnet assigns public addresses on launch ' +
        '(map_public_ip_on_launch / assign_ipv6_address_on_creation).',
      { instanceId, found: wait.last ?? null },
    );
  }

  const batch = recordChanges(game.fqdn, wait.last?.ipv4, game.ipv6 ? wait.last?.ipv6 : undefined, RECORD_TTL_SECONDS, `instance ${instanceId} launched`);
  let dns: DnsOutcome = 'unchanged-no-address';
  if ((batch.Changes ?? []).length > 0) {
    // The wait may have taken a while; the instance may be leaving by now.
    const after = await step('describe group', () => ports.groupInstances());
    if (isServingInGroup(after, instanceId)) {
      await step('upsert DNS records', () => ports.changeRecords(batch));
      dns = 'updated';
    } else {
      log.warn('instance stopped serving while waiting for its address; DNS left alone', { instanceId });
      dns = 'unchanged-not-serving';
    }
  }

  const lifecycle = await complete(action, ctx);
  if (lifecycle === 'completed') ctx.metrics.count('InstanceLaunched');
  return { kind: 'launch', instanceId, dns, lifecycle };
}

async function terminate(instanceId: string, action: LifecycleAction, ctx: FlowContext): Promise<HookOutcome> {
  const { game, ports, log } = ctx;
  const instances = await step('describe group', () => ports.groupInstances());
  const ownsGame = shouldRestorePlaceholder(instances, instanceId);
  let dns: DnsOutcome = 'unchanged';

  if (ownsGame) {
    await drain(ctx);
    await step('restore DNS placeholder', () => ports.changeRecords(placeholderBatch(game, `instance ${instanceId} terminating`)));
    dns = 'placeholder';
    await step('disable watchdog rule', () => ports.disableWatchdog());
  } else {
    // Another instance already serves the game: this event is late or duplicated, and the
    // service, the records and the watchdog belong to the newer instance.
    log.warn('terminate event while another instance serves the game; service, DNS and watchdog left alone', {
      instanceId,
      groupInstances: instances,
    });
  }

  const lifecycle = await complete(action, ctx);
  // Notify once: a replay finds the action already completed.
  const notified = ownsGame && lifecycle === 'completed';
  if (notified) {
    const uptimeMs = await uptime(instanceId, ctx);
    await step('publish stopped notice', () => ports.notify(`${game.fqdn} stopped`, stoppedMessage(game.fqdn, uptimeMs)));
    ctx.metrics.count('InstanceStopped');
  }
  return { kind: 'terminate', instanceId, dns, lifecycle, notified };
}

/** Scales the service to zero and waits (bounded) until the game container has exited, i.e. saved. */
async function drain(ctx: FlowContext): Promise<void> {
  const { game, ports, log, timing } = ctx;
  const result = await step('stop game service', () => ports.stopGame());
  if (result === 'missing') {
    log.warn('the cluster or service does not exist; nothing to drain', { cluster: game.clusterName, service: game.serviceName });
    return;
  }
  const timeoutMs = Math.min(game.stopTimeoutSeconds * 1000 + timing.drainGraceMs, timing.drainWaitMaxMs);
  const wait = await step('wait for game task to stop', () =>
    pollUntil(() => ports.countUnstoppedTasks(), (n) => n === 0, {
      clock: ctx.clock,
      timeoutMs,
      intervalMs: timing.drainPollMs,
      onTransientError: (e) => log.warn('listing tasks failed; polling again', { error: e.name }),
    }),
  );
  if (!wait.done) {
    ctx.metrics.count('DrainTimedOut');
    log.error(
      `game task still running ${Math.round(timeoutMs / 1000)} s after the service was set to 0; the instance terminates anyway. ` +
        "If worlds lose progress, lower the game's save time or raise its stop timeout (max 120 s).",
      { tasksStillRunning: wait.last ?? null },
    );
  }
}

async function uptime(instanceId: string, ctx: FlowContext): Promise<number | undefined> {
  const state = await step('read watchdog state', () => ctx.ports.readWatchdogState());
  const facts = state?.instanceId === instanceId ? undefined : await step('describe instance', () => ctx.ports.describeInstance(instanceId));
  const since = servingSince(instanceId, state, facts?.launchTime);
  return since === undefined ? undefined : Math.max(0, ctx.clock.now() - since);
}

async function spot(instanceId: string, ctx: FlowContext): Promise<HookOutcome> {
  const { game, ports, log } = ctx;
  const instances = await step('describe group', () => ports.groupInstances());
  if (!instances.some((i) => i.instanceId === instanceId)) {
    return { kind: 'ignore', reason: `instance is not in this game's group ${game.asgName}`, instanceId };
  }
  if (!shouldRestorePlaceholder(instances, instanceId)) {
    log.warn('spot interruption of an instance while another one serves the game; nothing to drain', { instanceId });
    return { kind: 'spot', instanceId, dns: 'unchanged', notified: false };
  }
  // Two minutes until EC2 reclaims the instance: stop the game now rather than at the terminate hook.
  const result = await step('stop game service', () => ports.stopGame());
  if (result === 'missing') log.warn('the cluster or service does not exist; nothing to drain', { service: game.serviceName });
  await step('restore DNS placeholder', () => ports.changeRecords(placeholderBatch(game, `instance ${instanceId} spot interruption`)));
  await step('publish spot notice', () => ports.notify(`${game.fqdn} spot interruption`, spotMessage(game.fqdn)));
  ctx.metrics.count('SpotInterruption');
  return { kind: 'spot', instanceId, dns: 'placeholder', notified: true };
}

/**
 * The game's host: the instance of its Auto Scaling group that runs the game
 * now. Commands that reach into the host (shell, files…) start here, and
 * when there is none they say why in the words a player's admin needs:
 * stopped (and how to start it), still starting, or on its way down.
 */
import { describeGroup } from '../../lambdas/shared/auto-scaling';
import type { GroupSnapshot } from '../../runtime/session';
import { gmCommandLine } from '../command';
import type { GameTarget } from './deployment';

export type GameHost =
  /** An InService instance: Session Manager and the world are there. */
  | { readonly state: 'running'; readonly instanceId: string }
  /** The group is up but its instance is not in service yet (or not launched yet). */
  | { readonly state: 'starting'; readonly instanceId?: string; readonly lifecycleState?: string }
  /** The group is at 0 and its instance is saving and leaving. */
  | { readonly state: 'stopping'; readonly instanceId: string; readonly lifecycleState: string }
  | { readonly state: 'stopped' }
  /** No Auto Scaling group of that name in the region. */
  | { readonly state: 'not-deployed' };

/**
 * The host as the group's instances show it: the InService instance is the
 * host (the one rule for "which instance", shared with `gm status`); else an
 * instance on its way in, else one on its way out. Undefined group: not deployed.
 */
export function hostOfGroup(group: GroupSnapshot | undefined): GameHost {
  if (!group) return { state: 'not-deployed' };
  const inService = group.instances.find((i) => i.lifecycleState === 'InService');
  if (inService) return { state: 'running', instanceId: inService.instanceId };
  const pending = group.instances.find((i) => i.lifecycleState.startsWith('Pending'));
  if (pending) return { state: 'starting', instanceId: pending.instanceId, lifecycleState: pending.lifecycleState };
  const leaving = group.instances.find((i) => i.lifecycleState.startsWith('Terminating') || i.lifecycleState.startsWith('Detaching'));
  if (leaving) return { state: 'stopping', instanceId: leaving.instanceId, lifecycleState: leaving.lifecycleState };
  // Desired 1 with no instance yet: Auto Scaling has not launched it (or is replacing one).
  if (group.desiredCapacity > 0) return { state: 'starting' };
  return { state: 'stopped' };
}

/** The instance a host state names, if any. */
export function hostInstance(host: GameHost): string | undefined {
  return 'instanceId' in host ? host.instanceId : undefined;
}

export async function findGameHost(target: GameTarget): Promise<GameHost> {
  return hostOfGroup(await describeGroup(target.names.asg, target.region));
}

/** Why there is no host to reach, in one line; undefined when the host runs. */
export function hostUnavailableReason(target: GameTarget, host: GameHost): string | undefined {
  const id = target.game.id;
  switch (host.state) {
    case 'running':
      return undefined;
    case 'stopped':
      return `${id} is stopped: start it with ${gmCommandLine(`start ${id}`)}`;
    case 'starting':
      return host.instanceId
        ? `${id} is starting (host ${host.instanceId} is ${host.lifecycleState}): try again in a minute`
        : `${id} is starting (Auto Scaling is launching its host): try again in a minute or two`;
    case 'stopping':
      return `${id} is stopping (host ${host.instanceId} is ${host.lifecycleState}): wait until it has stopped, then start it with ${gmCommandLine(`start ${id}`)}`;
    case 'not-deployed':
      return `${id} has no Auto Scaling group ${target.names.asg} in ${target.region}: deploy it first (\`cdktf deploy\`), or pass the region it is in with --region`;
  }
}

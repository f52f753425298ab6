/**
 * The names of a deployment's AWS resources, derived from the config's
 * `name` (the prefix) and the game id. Synth gives resources these names and
 * the CLI finds them by the same names, so the two never drift apart.
 */

/** AWS resource names: `<prefix>-<game>-<role>` (prefix from `name`, default gm). */
export function resourceName(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join('-');
}

export interface GameResourceNames {
  readonly asg: string;
  readonly cluster: string;
  readonly service: string;
  readonly taskFamily: string;
  readonly watchdogRule: string;
  readonly stateParameter: string;
  /** Created by the start that claims a session and deleted at the end of its stop: never by Terraform. */
  readonly sessionParameter: string;
  /** Holds a wake that came during a stop; created and deleted at run time: never by Terraform. */
  readonly pendingWakeParameter: string;
  readonly connectionsDocument: string;
  readonly logGroup: string;
  /** The world's EFS creation token and Name tag (how the CLI finds a file system synth created). */
  readonly world: string;
  /** The game host's IAM role (and instance profile). */
  readonly hostRole: string;
  /**
   * SSM parameter a `gm restore` writes and the next boot of the host reads:
   * which folder of the world to put in place before the game starts.
   * Created and deleted at run time: never by Terraform.
   */
  readonly worldSwapParameter: string;
}

/** Leaf names of the run-time parameters, the same for every game (IAM patterns of the waker use them). */
export const SESSION_PARAMETER_LEAF = 'session';
export const PENDING_WAKE_PARAMETER_LEAF = 'pending-wake';
export const WORLD_SWAP_PARAMETER_LEAF = 'world-swap';

export function gameResourceNames(prefix: string, gameId: string): GameResourceNames {
  const base = resourceName(prefix, gameId);
  return {
    asg: base,
    cluster: base,
    service: base,
    taskFamily: base,
    watchdogRule: `${base}-watchdog-schedule`,
    stateParameter: `/${prefix}/${gameId}/watchdog-state`,
    sessionParameter: `/${prefix}/${gameId}/${SESSION_PARAMETER_LEAF}`,
    pendingWakeParameter: `/${prefix}/${gameId}/${PENDING_WAKE_PARAMETER_LEAF}`,
    connectionsDocument: `${base}-count-connections`,
    logGroup: `/${prefix}/${gameId}/game`,
    world: resourceName(prefix, gameId, 'world'),
    hostRole: resourceName(prefix, gameId, 'host'),
    worldSwapParameter: `/${prefix}/${gameId}/${WORLD_SWAP_PARAMETER_LEAF}`,
  };
}

/** Names of a deployment's resources that belong to no one game. */
export function deploymentResourceNames(prefix: string): {
  readonly worldRestoreRole: string;
  readonly worldBackupRole: string;
  readonly worldBackupVault: string;
  readonly worldBackupPlan: string;
} {
  return {
    /** The role AWS Backup assumes to restore a world (worlds stack). */
    worldRestoreRole: resourceName(prefix, 'world-restore'),
    /** The role AWS Backup assumes to back the worlds up. */
    worldBackupRole: resourceName(prefix, 'world-backup'),
    /** The vault the worlds' recovery points are kept in, and the plan that makes them. */
    worldBackupVault: resourceName(prefix, 'worlds'),
    worldBackupPlan: resourceName(prefix, 'worlds'),
  };
}

/**
 * User data of a game host: configures the ECS agent before it starts. Kept
 * apart from the construct so it can be read (and tested) as the script it is.
 */
export interface HostUserDataOptions {
  readonly clusterName: string;
  /** Seconds a container gets after SIGTERM before SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** Memory the agent keeps for the OS, agent and SSM. */
  readonly reservedMemoryMiB: number;
  /** Install conntrack-tools: the connections probe counts UDP players in connection tracking. Default false. */
  readonly conntrack?: boolean;
}

export function hostUserData(o: HostUserDataOptions): string {
  const settings = [
    `ECS_CLUSTER=${o.clusterName}`,
    // Time the game gets to save its world after SIGTERM.
    `ECS_CONTAINER_STOP_TIMEOUT=${o.stopTimeoutSeconds}s`,
    // The host is new at every start, so "once" pulls exactly one time per boot and
    // a task restart after a crash reuses the image instead of pulling it again.
    'ECS_IMAGE_PULL_BEHAVIOR=once',
    // On a spot interruption notice the agent drains the task (SIGTERM) at once.
    'ECS_ENABLE_SPOT_INSTANCE_DRAINING=true',
    `ECS_RESERVED_MEMORY=${o.reservedMemoryMiB}`,
    // The game never needs privileged mode; refuse it even if a task definition asked.
    'ECS_DISABLE_PRIVILEGED=true',
    // Bridged tasks get their task role (the world mount uses it), not the host's.
    'ECS_ENABLE_TASK_IAM_ROLE=true',
  ];
  const lines = ['#!/bin/bash', 'set -euo pipefail', 'cat >> /etc/ecs/ecs.config <<\'EOF\'', ...settings, 'EOF'];
  if (o.conntrack) {
    // In the background: the ECS agent starts only after user data finishes, and a slow
    // mirror must not hold the game back. Until it is installed the probe reports an
    // error (never 0 players), which the boot grace absorbs.
    lines.push('systemd-run --no-block --unit=gm-conntrack-tools dnf install -y -q conntrack-tools');
  }
  return [...lines, ''].join('\n');
}

/**
 * User data of a game host: configures the ECS agent before it starts, and
 * mounts the world's file system at WORLD_MOUNT_PATH, where a restored world
 * is put in place (world-swap-script.ts) before the agent starts the game.
 * Kept apart from the construct so it can be read (and tested) as the script it is.
 */
import { VOLUMES_DIRECTORY, WORLD_MOUNT_PATH } from '../../runtime/world-paths';
import { SSM_PARAMETER_PROGRAM, WORLD_SWAP_PROGRAM, WORLD_SWAP_TIMEOUT_SECONDS, worldSwapScript } from './world-swap-script';
import { ssmParameterClientScript } from './world-parameter-client';
import { HOOK_HEARTBEAT_SECONDS } from './lifecycle';

/** The game's world, as the host mounts it. */
export interface HostWorldOptions {
  /** The world's EFS file system (mounted whole, over TLS, with the host role). */
  readonly fileSystemId: string;
  /** SSM parameter `gm restore` writes (names.worldSwapParameter). */
  readonly swapParameterName: string;
  /** Region of the parameter. */
  readonly region: string;
}

/** ec2-user on Amazon Linux, and the owner the world's access points give the game's folders. */
export const HOST_USER_ID = 1000;

/** Attempts at mounting the world, and seconds each may take: a failing mount holds the boot back about 70 s at most. */
export const WORLD_MOUNT_ATTEMPTS = 3;
export const WORLD_MOUNT_TIMEOUT_SECONDS = 20;

export interface HostUserDataOptions {
  readonly clusterName: string;
  /** Seconds a container gets after SIGTERM before SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** Memory the agent keeps for the OS, agent and SSM. */
  readonly reservedMemoryMiB: number;
  /** Install conntrack-tools: the connections probe counts UDP players in connection tracking. Default false. */
  readonly conntrack?: boolean;
  /** Mount the world and apply a pending restore. Default: no world on the host. */
  readonly world?: HostWorldOptions;
  /**
   * A public image to pull as soon as the host boots, while the ECS agent
   * registers (the agent then finds it cached). Default: the agent pulls it.
   */
  readonly prePullImage?: string;
  /**
   * The host waits stopped in a warm pool between sessions: the agent stays
   * unregistered while it is warmed, and the boot steps run again at every
   * start from the pool (cloud-init runs user data at the first boot only).
   */
  readonly warmPool?: boolean;
}

/** Where the boot steps of a warm-pool host live, and the unit that runs them before the ECS agent at every boot. */
export const HOST_BOOT_PROGRAM = '/usr/local/sbin/gm-host-boot';
export const HOST_BOOT_UNIT = 'gm-host-boot.service';
/**
 * Seconds a warm-pool host's first boot may spend pulling the image: within
 * the launch hook's heartbeat, after which Auto Scaling stops the instance in
 * the pool whether or not the pull (or anything else) has finished.
 */
export const WARM_PULL_TIMEOUT_SECONDS = HOOK_HEARTBEAT_SECONDS - 60;

/** Writes `text` to `path` (a quoted heredoc: nothing in it is expanded). */
function installProgram(path: string, text: string): string[] {
  return [`cat > ${path} <<'GM_PROGRAM'`, text.replace(/\n$/, ''), 'GM_PROGRAM', `chmod 0755 ${path}`];
}

/** The programs the world's boot steps run, installed once on the root volume. */
function worldPrograms(): string[] {
  return [
    ...installProgram(SSM_PARAMETER_PROGRAM, ssmParameterClientScript()),
    ...installProgram(WORLD_SWAP_PROGRAM, worldSwapScript()),
  ];
}

/**
 * The world at WORLD_MOUNT_PATH, then the swap a restore asked for. Never
 * fatal and never long: the game mounts its volumes through its own access
 * points and does not need this mount. The swap runs only on a mounted world
 * (it checks again itself), so a failed mount leaves a pending restore for the
 * next boot instead of swapping folders of the root volume.
 */
function worldLines(world: HostWorldOptions): string[] {
  return [
    `mkdir -p ${WORLD_MOUNT_PATH}`,
    'world_mounted=false',
    `for attempt in $(seq ${WORLD_MOUNT_ATTEMPTS}); do`,
    // amazon-efs-utils ships with the ECS-optimised AMI: TLS (the file system policy denies anything else), IAM with the host role.
    `  if timeout ${WORLD_MOUNT_TIMEOUT_SECONDS} mount -t efs -o tls,iam ${world.fileSystemId}:/ ${WORLD_MOUNT_PATH}; then world_mounted=true; break; fi`,
    `  echo "gm: mounting the world at ${WORLD_MOUNT_PATH} failed (attempt $attempt of ${WORLD_MOUNT_ATTEMPTS})" >&2`,
    `  if [ "$attempt" -lt ${WORLD_MOUNT_ATTEMPTS} ]; then sleep 5; fi`,
    'done',
    'if [ "$world_mounted" = true ]; then',
    // `gm files --upload` logs in as ec2-user and stages a whole world in a new folder of the
    // root, which EFS creates owned by root. The host is the game's own machine and the root
    // holds only this game's world, so its login user may write there.
    `  chown ${HOST_USER_ID}:${HOST_USER_ID} ${WORLD_MOUNT_PATH} || echo "gm: could not give ${WORLD_MOUNT_PATH} to uid ${HOST_USER_ID}; uploads fail until the next boot" >&2`,
    `  AWS_REGION=${world.region} PATH="/usr/local/sbin:$PATH" timeout ${WORLD_SWAP_TIMEOUT_SECONDS} ${WORLD_SWAP_PROGRAM} ${WORLD_MOUNT_PATH} ${world.swapParameterName} \\`,
    '    || echo "gm: the world swap did not finish; it runs again at the next boot" >&2',
    // After the swap, whatever folder is now `volumes` (one a restore made, too) stays ec2-user's
    // for the next upload and for `gm files`; only the folder itself: the files are the game's.
    `  if [ -d ${WORLD_MOUNT_PATH}/${VOLUMES_DIRECTORY} ]; then chown ${HOST_USER_ID}:${HOST_USER_ID} ${WORLD_MOUNT_PATH}/${VOLUMES_DIRECTORY} || echo "gm: could not give ${WORLD_MOUNT_PATH}/${VOLUMES_DIRECTORY} to uid ${HOST_USER_ID}" >&2; fi`,
    'else',
    `  echo "gm: the world is not mounted at ${WORLD_MOUNT_PATH}; a pending restore waits for the next boot" >&2`,
    'fi',
  ];
}

/** The host's answer to "where is this instance going": `InService`, or `Warmed:Stopped` on its first boot into the pool. */
const TARGET_LIFECYCLE_STATE = [
  'imds_token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token || true)',
  'target_state=$(curl -sf -H "X-aws-ec2-metadata-token: $imds_token" http://169.254.169.254/latest/meta-data/autoscaling/target-lifecycle-state || true)',
];

/**
 * Pulls the image. Normally in the background (systemd-run --no-block starts
 * Docker if it is not up yet): the ECS agent starts only after the boot steps,
 * and a slow registry must not hold it back; the agent finds the image cached
 * or joins the pull in progress. On a warm-pool host's first boot, going into
 * the pool, in the foreground: nothing waits for the agent there, and the pool
 * stops the instance once its launch is complete.
 */
function prePullLines(image: string, warmPool: boolean): string[] {
  const pull = `docker pull '${image}'`;
  const background = `systemd-run --no-block --unit=gm-image-pull --property=After=docker.service --property=Requires=docker.service ${pull}`;
  if (!warmPool) return [background];
  return [
    ...TARGET_LIFECYCLE_STATE,
    'case $target_state in',
    `  Warmed:*) systemctl start docker && timeout ${WARM_PULL_TIMEOUT_SECONDS} ${pull} || echo "gm: pulling the image into the warm pool failed; the agent pulls it at the start" >&2 ;;`,
    `  *) ${background} || echo "gm: could not start the image pull; the agent pulls it" >&2 ;;`,
    'esac',
  ];
}

/**
 * Steps that must run at every boot of a warm-pool host, before the ECS agent:
 * a systemd unit ordered before ecs.service runs them at the later boots (each
 * start from the pool), user data runs them at the first.
 */
function everyBootLines(steps: string[]): string[] {
  return [
    `cat > ${HOST_BOOT_PROGRAM} <<'GM_BOOT'`,
    '#!/bin/bash',
    'set -euo pipefail',
    ...steps,
    'GM_BOOT',
    `chmod 0755 ${HOST_BOOT_PROGRAM}`,
    `cat > /etc/systemd/system/${HOST_BOOT_UNIT} <<'GM_UNIT'`,
    '[Unit]',
    'Description=GameManagement boot steps (world mount, pending restore, image pull) before the ECS agent',
    'Wants=network-online.target',
    'After=network-online.target',
    'Before=ecs.service',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${HOST_BOOT_PROGRAM}`,
    '[Install]',
    'WantedBy=multi-user.target',
    'GM_UNIT',
    // Enabled for the next boots only: this boot runs the steps from user data, right below.
    `systemctl enable ${HOST_BOOT_UNIT}`,
    HOST_BOOT_PROGRAM,
  ];
}

export function hostUserData(o: HostUserDataOptions): string {
  const settings = [
    `ECS_CLUSTER=${o.clusterName}`,
    // Time the game gets to save its world after SIGTERM.
    `ECS_CONTAINER_STOP_TIMEOUT=${o.stopTimeoutSeconds}s`,
    // The image pulled at boot (or kept on a warm-pool volume) is used as it is, and a task
    // restart after a crash reuses it instead of pulling again; a missing image is pulled.
    'ECS_IMAGE_PULL_BEHAVIOR=prefer-cached',
    // On a spot interruption notice the agent drains the task (SIGTERM) at once.
    'ECS_ENABLE_SPOT_INSTANCE_DRAINING=true',
    `ECS_RESERVED_MEMORY=${o.reservedMemoryMiB}`,
    // The game never needs privileged mode; refuse it even if a task definition asked.
    'ECS_DISABLE_PRIVILEGED=true',
    // Bridged tasks get their task role (the world mount uses it), not the host's.
    'ECS_ENABLE_TASK_IAM_ROLE=true',
    // A warmed instance must not register: ECS would place the game on a host about to be stopped.
    ...(o.warmPool ? ['ECS_WARM_POOLS_CHECK=true'] : []),
  ];
  const lines = ['#!/bin/bash', 'set -euo pipefail', 'cat >> /etc/ecs/ecs.config <<\'EOF\'', ...settings, 'EOF'];
  if (o.conntrack) {
    // In the background: the ECS agent starts only after user data finishes, and a slow
    // mirror must not hold the game back. Until it is installed the probe reports an
    // error (never 0 players), which the boot grace absorbs.
    lines.push('systemd-run --no-block --unit=gm-conntrack-tools dnf install -y -q conntrack-tools');
  }
  if (o.world) lines.push(...worldPrograms());
  // The pull first, so it runs while the world is mounted; the world last, in the foreground:
  // the agent starts only after these steps, so a restored world is in place before the game starts.
  const bootSteps = [
    ...(o.prePullImage ? prePullLines(o.prePullImage, o.warmPool ?? false) : []),
    ...(o.world ? worldLines(o.world) : []),
  ];
  if (o.warmPool && bootSteps.length > 0) lines.push(...everyBootLines(bootSteps));
  else lines.push(...bootSteps);
  return [...lines, ''].join('\n');
}

/**
 * Where a game's world lives. The EFS file system holds one folder per
 * container volume under `volumes/`; each volume's access point is rooted
 * there, and the game host mounts the whole file system at WORLD_MOUNT_PATH
 * (for `gm files`, and for `gm restore` to put a backup in place at boot).
 */

/** Where the host mounts the world's file system (its root). Documented in the README. */
export const WORLD_MOUNT_PATH = '/mnt/gm-world';

/** The folder of the file system that holds the volumes (what a restore swaps). */
export const VOLUMES_DIRECTORY = 'volumes';

/** Where a container path lives on the file system; stable, so an adopted file system finds its old data. */
export function accessPointRoot(containerPath: string): string {
  const slug = containerPath.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'root';
  return `/${VOLUMES_DIRECTORY}/${slug}`;
}

/** Where a container path's files are on the game host. */
export function hostWorldPath(containerPath: string): string {
  return `${WORLD_MOUNT_PATH}${accessPointRoot(containerPath)}`;
}

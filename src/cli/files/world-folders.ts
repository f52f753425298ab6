/**
 * A game's world as `gm files` copies it: one folder on the host per
 * container volume (src/runtime/world-paths.ts), and on this machine the
 * chosen folder itself, or one subfolder per volume when there are several.
 */
import { basename, join } from 'node:path';
import { hostWorldPath } from '../../runtime/world-paths';

export interface WorldFolder {
  /** The volume's path in the container, e.g. /data. */
  readonly containerPath: string;
  /** Where the host has it, e.g. /mnt/gm-world/volumes/data. */
  readonly hostPath: string;
  /** Its folder name, e.g. data (the local subfolder when a game has several volumes). */
  readonly name: string;
}

export function worldFolders(volumes: readonly { readonly path: string }[]): WorldFolder[] {
  return volumes.map((v) => {
    const hostPath = hostWorldPath(v.path);
    return { containerPath: v.path, hostPath, name: basename(hostPath) };
  });
}

/** The local folder of `folder` under the folder the user named. */
export function localFolder(root: string, folder: WorldFolder, all: readonly WorldFolder[]): string {
  return all.length === 1 ? root : join(root, folder.name);
}

/** Bytes as people read them: 512 B, 3.4 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A time for folder names on the host, sortable and without characters FileZilla or Windows mind: 20261130T104500Z. */
export function folderStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

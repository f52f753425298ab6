/**
 * `gm files --upload`: a local world onto the host, staged whole in a new
 * folder of the world's root laid out as the host lays out the live one
 * (`upload-<time>/volumes/<volume>`, one per volume of the game). Nothing
 * of the live world is touched here: the game host's world swap puts the
 * staged `volumes` in place at the next start, before the game starts, the
 * same way a restore goes in place (src/constructs/game/world-swap-script.ts).
 * Ctrl-C or a failed transfer removes the staging folder.
 */
import { join, posix } from 'node:path';
import { accessPointRoot, VOLUMES_DIRECTORY, WORLD_MOUNT_PATH } from '../../runtime/world-paths';
import type { CliIo } from '../io';
import { CopyProgress } from './copy-progress';
import { unlessAborted, type SshConnection } from './sftp-session';
import { localFolder, type WorldFolder } from './world-folders';
import { localTree, removeRemoteTree, type Tree } from './world-tree';

export type UploadResult =
  | { readonly outcome: 'staged'; readonly summary: string; readonly skipped: string[] }
  | { readonly outcome: 'interrupted'; readonly summary: string; readonly cleaned: boolean };

interface Plan {
  readonly local: string;
  readonly tree: Tree;
  /** Where this volume's files go on the host: <staging>/volumes/<volume>, as accessPointRoot lays out the live world. */
  readonly staging: string;
}

/** The staging folder on the host: /mnt/gm-world/upload-<time>. */
export function stagingPath(stagingFolder: string): string {
  return `${WORLD_MOUNT_PATH}/${stagingFolder}`;
}

/** Removes the staging folder with everything in it; false when it could not (the host gone, the connection dropped). */
export async function removeStaging(connection: SshConnection, stagingFolder: string): Promise<boolean> {
  try {
    const files = await connection.openFiles();
    try {
      const path = stagingPath(stagingFolder);
      if ((await files.kind(path)) !== undefined) await removeRemoteTree(files, path);
    } finally {
      files.close();
    }
    return true;
  } catch {
    return false;
  }
}

export async function uploadWorld(options: {
  readonly connection: SshConnection;
  readonly folders: readonly WorldFolder[];
  readonly root: string;
  readonly io: CliIo;
  readonly signal: AbortSignal;
  /** The folder of the world's root to stage into, e.g. upload-2026-11-30T10-45-00Z (see uploadFolder). */
  readonly stagingFolder: string;
}): Promise<UploadResult> {
  const { connection, folders, root, io, signal, stagingFolder } = options;
  const staging = stagingPath(stagingFolder);
  const plans: Plan[] = folders.map((folder) => {
    const local = localFolder(root, folder, folders);
    return { local, tree: localTree(local), staging: `${staging}${accessPointRoot(folder.containerPath)}` };
  });
  const all = plans.flatMap((p) => p.tree.files);
  const progress = new CopyProgress(io, 'uploading', all.length, all.reduce((sum, f) => sum + f.size, 0));

  const files = await connection.openFiles();
  const stopTransfer = () => files.close();
  signal.addEventListener('abort', stopTransfer);
  let staged = false;
  // Only a folder this run made is removed again.
  let created = false;
  try {
    // A new folder: a name already there would mix two uploads, so mkdir fails on it rather than reuse it.
    await files.mkdir(staging);
    created = true;
    await files.mkdir(posix.join(staging, VOLUMES_DIRECTORY));
    for (const plan of plans) {
      if (signal.aborted) break;
      await files.mkdir(plan.staging);
      for (const sub of plan.tree.folders) await files.mkdir(posix.join(plan.staging, sub));
      for (const file of plan.tree.files) {
        if (signal.aborted) break;
        await unlessAborted(files.upload(join(plan.local, file.relative), posix.join(plan.staging, file.relative), (bytes) => progress.addBytes(bytes)), signal);
        progress.fileDone();
      }
    }
    staged = !signal.aborted;
  } catch (e) {
    if (!signal.aborted) {
      progress.end();
      files.close();
      if (created) await removeStaging(connection, stagingFolder);
      throw e;
    }
  } finally {
    signal.removeEventListener('abort', stopTransfer);
  }
  progress.end();
  files.close();
  if (!staged) return { outcome: 'interrupted', summary: progress.summary(), cleaned: !created || (await removeStaging(connection, stagingFolder)) };
  return { outcome: 'staged', summary: progress.summary(), skipped: plans.flatMap((p) => p.tree.skipped.map((s) => join(p.local, s))) };
}

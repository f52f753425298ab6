/**
 * `gm files --upload`: a local world onto the host without ever leaving a
 * half-uploaded world in the game's folder. Everything goes into a new folder
 * beside each world folder first; only when all of it is there do renames
 * swap the folders (world → world.before-upload-<time>, new → world), which
 * are quick and undone if one fails. Ctrl-C before the swap removes the new
 * folders and leaves the world as it was; the swap itself is not interrupted.
 */
import { join, posix } from 'node:path';
import type { CliIo } from '../io';
import { CopyProgress } from './copy-progress';
import { unlessAborted, type RemoteFiles, type SshConnection } from './sftp-session';
import { folderStamp, localFolder, type WorldFolder } from './world-folders';
import { localTree, removeRemoteTree, type Tree } from './world-tree';

export interface UploadedFolder {
  readonly folder: WorldFolder;
  /** Where the world that was there is kept; undefined when there was none. */
  readonly keptAt?: string;
}

export type UploadResult =
  | { readonly outcome: 'done'; readonly summary: string; readonly uploaded: UploadedFolder[]; readonly skipped: string[] }
  | { readonly outcome: 'interrupted'; readonly summary: string; readonly cleaned: boolean };

interface Plan {
  readonly folder: WorldFolder;
  readonly local: string;
  readonly tree: Tree;
  readonly staging: string;
  readonly backup: string;
}

/** Puts the staged folders in place; on a failure puts back what it had moved and rethrows. */
async function swapIn(files: RemoteFiles, plans: readonly Plan[]): Promise<UploadedFolder[]> {
  const undo: (() => Promise<void>)[] = [];
  const uploaded: UploadedFolder[] = [];
  try {
    for (const plan of plans) {
      const { hostPath } = plan.folder;
      const existed = (await files.kind(hostPath)) !== undefined;
      if (existed) {
        await files.rename(hostPath, plan.backup);
        undo.push(() => files.rename(plan.backup, hostPath));
      }
      await files.rename(plan.staging, hostPath);
      undo.push(() => files.rename(hostPath, plan.staging));
      uploaded.push({ folder: plan.folder, ...(existed ? { keptAt: plan.backup } : {}) });
    }
    return uploaded;
  } catch (e) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw e;
  }
}

async function removeStaging(connection: SshConnection, plans: readonly Plan[]): Promise<boolean> {
  try {
    const files = await connection.openFiles();
    try {
      for (const plan of plans) if ((await files.kind(plan.staging)) !== undefined) await removeRemoteTree(files, plan.staging);
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
  readonly now: Date;
}): Promise<UploadResult> {
  const { connection, folders, root, io, signal } = options;
  const stamp = folderStamp(options.now);
  const plans: Plan[] = folders.map((folder) => {
    const local = localFolder(root, folder, folders);
    return { folder, local, tree: localTree(local), staging: `${folder.hostPath}.upload-${stamp}`, backup: `${folder.hostPath}.before-upload-${stamp}` };
  });
  const all = plans.flatMap((p) => p.tree.files);
  const progress = new CopyProgress(io, 'uploading', all.length, all.reduce((sum, f) => sum + f.size, 0));

  const files = await connection.openFiles();
  const stopTransfer = () => files.close();
  signal.addEventListener('abort', stopTransfer);
  let staged = false;
  try {
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
      await removeStaging(connection, plans);
      throw e;
    }
  } finally {
    signal.removeEventListener('abort', stopTransfer);
  }
  progress.end();
  if (!staged) {
    files.close();
    return { outcome: 'interrupted', summary: progress.summary(), cleaned: await removeStaging(connection, plans) };
  }
  try {
    io.progress('putting the uploaded world in place');
    const uploaded = await swapIn(files, plans);
    io.progress(undefined);
    return { outcome: 'done', summary: progress.summary(), uploaded, skipped: plans.flatMap((p) => p.tree.skipped.map((s) => join(p.local, s))) };
  } catch (e) {
    io.progress(undefined);
    await removeStaging(connection, plans);
    throw e;
  } finally {
    files.close();
  }
}

/** Listing a world folder (on the host or here) as the files and folders a copy makes. */
import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { RemoteFiles } from './sftp-session';

export interface TreeFile {
  /** Path below the folder, with / separators. */
  readonly relative: string;
  readonly size: number;
}

export interface Tree {
  /** Folders below the root, parents first. */
  readonly folders: string[];
  readonly files: TreeFile[];
  /** Entries that are neither file nor folder (symbolic links, sockets): not copied, named in the report. */
  readonly skipped: string[];
}

export async function remoteTree(files: RemoteFiles, root: string, signal: AbortSignal): Promise<Tree> {
  const tree: Tree = { folders: [], files: [], skipped: [] };
  const walk = async (relative: string): Promise<void> => {
    if (signal.aborted) return;
    for (const entry of await files.list(relative ? posix.join(root, relative) : root)) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.kind === 'directory') {
        tree.folders.push(path);
        await walk(path);
      } else if (entry.kind === 'file') tree.files.push({ relative: path, size: entry.size });
      else tree.skipped.push(path);
    }
  };
  await walk('');
  return tree;
}

export function localTree(root: string): Tree {
  const tree: Tree = { folders: [], files: [], skipped: [] };
  const walk = (relative: string): void => {
    for (const entry of readdirSync(relative ? join(root, relative) : root, { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        tree.folders.push(path);
        walk(path);
      } else if (entry.isFile()) tree.files.push({ relative: path, size: statSync(join(root, path)).size });
      else tree.skipped.push(path);
    }
  };
  walk('');
  return tree;
}

/** Removes a folder on the host with everything in it (SFTP has no recursive remove). */
export async function removeRemoteTree(files: RemoteFiles, root: string): Promise<void> {
  for (const entry of await files.list(root)) {
    const path = posix.join(root, entry.name);
    if (entry.kind === 'directory') await removeRemoteTree(files, path);
    else await files.removeFile(path);
  }
  await files.removeDirectory(root);
}

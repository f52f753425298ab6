/**
 * `gm files --download`: the world's folders from the host into a local
 * folder. Ctrl-C stops at once (the file being copied is removed) and leaves
 * the files already copied, which the caller reports as a partial copy.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CliIo } from '../io';
import { CopyProgress } from './copy-progress';
import { unlessAborted, type SshConnection } from './sftp-session';
import { localFolder, type WorldFolder } from './world-folders';
import { remoteTree, type Tree } from './world-tree';

export interface DownloadResult {
  readonly outcome: 'done' | 'interrupted';
  /** "12 of 40 files, 3.1 MB of 45.0 MB" */
  readonly summary: string;
  /** World folders not on the host (a game that never started with that volume). */
  readonly missing: WorldFolder[];
  readonly skipped: string[];
}

export async function downloadWorld(options: {
  readonly connection: SshConnection;
  readonly folders: readonly WorldFolder[];
  readonly root: string;
  readonly io: CliIo;
  readonly signal: AbortSignal;
}): Promise<DownloadResult> {
  const { folders, root, io, signal } = options;
  const files = await options.connection.openFiles();
  const stopTransfer = () => files.close();
  signal.addEventListener('abort', stopTransfer);
  try {
    const plans: { folder: WorldFolder; tree: Tree }[] = [];
    const missing: WorldFolder[] = [];
    for (const folder of folders) {
      io.progress(`listing ${folder.hostPath}`);
      if ((await files.kind(folder.hostPath)) !== 'directory') missing.push(folder);
      else plans.push({ folder, tree: await remoteTree(files, folder.hostPath, signal) });
    }
    const all = plans.flatMap((p) => p.tree.files);
    const progress = new CopyProgress(io, 'downloading', all.length, all.reduce((sum, f) => sum + f.size, 0));
    const skipped = plans.flatMap((p) => p.tree.skipped.map((s) => posix.join(p.folder.hostPath, s)));
    const result = (outcome: DownloadResult['outcome']): DownloadResult => {
      progress.end();
      return { outcome, summary: progress.summary(), missing, skipped };
    };
    if (signal.aborted) return result('interrupted');

    for (const { folder, tree } of plans) {
      const target = localFolder(root, folder, folders);
      mkdirSync(target, { recursive: true });
      for (const sub of tree.folders) mkdirSync(join(target, sub), { recursive: true });
      for (const file of tree.files) {
        if (signal.aborted) return result('interrupted');
        const local = join(target, file.relative);
        let fileBytes = 0;
        try {
          await unlessAborted(files.download(posix.join(folder.hostPath, file.relative), local, (bytes) => {
            fileBytes += bytes;
            progress.addBytes(bytes);
          }), signal);
        } catch (e) {
          // Half a file is worse than none: it would look like a whole one.
          rmSync(local, { force: true });
          progress.addBytes(-fileBytes);
          if (signal.aborted) return result('interrupted');
          throw e;
        }
        progress.fileDone();
      }
    }
    return result('done');
  } finally {
    signal.removeEventListener('abort', stopTransfer);
    files.close();
  }
}

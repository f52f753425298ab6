/**
 * The upload's hand-over to the game host: the swap request that puts the
 * staged folder in place at the next start (the same request and the same
 * host program as `gm restore`, src/cli/restore/swap-request.ts), and what
 * `gm files --upload` says around it.
 */
import { createParameter, readParameter, writeParameter } from '../../lambdas/shared/parameters';
import { VOLUMES_DIRECTORY, WORLD_MOUNT_PATH } from '../../runtime/world-paths';
import type { GameTarget } from '../aws/deployment';
import { gmCommandLine } from '../command';
import { onHost, swapLines, undoLine } from '../restore/messages';
import { describeSwapRequest, swapRequestText } from '../restore/swap-request';

export interface UploadSwap {
  /** The staging folder of the world's root: upload-<time>. */
  readonly source: string;
  /** Where the current world is kept: before-upload-<time>. */
  readonly keep: string;
}

/** The swap request waiting for the game's next start, as its text; undefined when none waits. */
export function pendingSwap(target: GameTarget): Promise<string | undefined> {
  return readParameter(target.names.worldSwapParameter, target.region);
}

/**
 * Writes the request. Without `replace` it is created only if none exists,
 * atomically (another upload or a restore may have asked in the minutes the
 * copy took): the request already there is returned and nothing is written.
 */
export async function requestUploadSwap(target: GameTarget, swap: UploadSwap, replace: boolean): Promise<{ readonly written: true } | { readonly written: false; readonly pending: string }> {
  const text = swapRequestText({ kind: 'upload', keep: swap.keep, source: swap.source });
  const name = target.names.worldSwapParameter;
  if (replace) {
    await writeParameter(name, text, target.region);
    return { written: true };
  }
  if (await createParameter(name, text, target.region)) return { written: true };
  return { written: false, pending: (await readParameter(name, target.region)) ?? 'a request that is gone again' };
}

export function runningRefusalLines(gameId: string): string[] {
  return [
    `gm files: ${gameId} is running, so nothing was uploaded: an upload goes in place at the next start, and whatever is played until then is lost (the game keeps saving into the world that is set aside at that start).`,
    `The upload needs the host, which runs only while the game does: to upload anyway, run again with --force, then stop and start ${gameId} right after (${gmCommandLine(`stop ${gameId}`)}, then ${gmCommandLine(`start ${gameId}`)}).`,
  ];
}

export function pendingRefusalLines(gameId: string, pending: string): string[] {
  return [
    `gm files: ${describeSwapRequest(pending)} already waits for ${gameId}'s next start, so nothing was uploaded.`,
    `Run again with --force to replace it with this upload, or cancel it first with ${gmCommandLine(`restore ${gameId} --undo`)}.`,
  ];
}

/** After the request is written: where things are, what happens when, how to switch now and how to undo. */
export function uploadedLines(gameId: string, swap: UploadSwap, options: { readonly replaced?: string; readonly running: boolean }): string[] {
  return [
    ...(options.replaced !== undefined ? [`(this replaces ${describeSwapRequest(options.replaced)}, which was waiting for the next start)`] : []),
    ...swapLines(gameId, swap.keep, `the uploaded world (now in ${onHost(`${swap.source}/${VOLUMES_DIRECTORY}`)})`),
    options.running
      ? `${gameId} plays on the current world until then, and what it saves is set aside with it: to switch now, ${gmCommandLine(`stop ${gameId}`)}, then ${gmCommandLine(`start ${gameId}`)}.`
      : `to switch now, ${gmCommandLine(`stop ${gameId}`)}, then ${gmCommandLine(`start ${gameId}`)}.`,
    undoLine(gameId),
  ];
}

/**
 * A transfer that failed; the staging folder is already removed. Permission
 * denied at the world's root means a host whose user data predates giving the
 * root to ec2-user: only a host launched from the current deployment has it.
 */
export function uploadFailedLine(gameId: string, reason: string): string {
  const hint = /permission denied/i.test(reason)
    ? `; ec2-user may not write in ${WORLD_MOUNT_PATH} on a host launched from an older deployment: deploy, stop and start ${gameId}, then upload again`
    : '';
  return `gm files: the upload failed (${reason}): ${gameId}'s world on the host is unchanged${hint}`;
}

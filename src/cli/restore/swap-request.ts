/**
 * What `gm restore` asks the game host to do at its next boot, as the text of
 * the world-swap parameter. The host's gm-world-swap program
 * (src/constructs/game/world-swap-script.ts) reads it: lines `key=value`.
 */
import { VOLUMES_DIRECTORY } from '../../runtime/world-paths';

export type SwapRequest =
  /** Put the volumes a restore job wrote in place. */
  | { readonly kind: 'restore'; readonly keep: string; readonly jobId: string; readonly jobCreatedAt: Date; readonly jobCompletedAt: Date }
  /** Go back to the newest before-restore folder. */
  | { readonly kind: 'undo'; readonly keep: string };

/**
 * AWS Backup names its folder `aws-backup-restore_<time>` with a time of its
 * own choosing (to the millisecond or nanosecond, depending on the day), so
 * the host takes the folder made during the job, with this much slack for clocks.
 */
export const RESTORE_FOLDER_SLACK_MS = 2 * 60_000;

/** A UTC time as the host compares folder times: YYYYMMDDHHMMSS. */
export function compactUtc(time: Date): string {
  return time.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** A folder name with the time in it, readable and sorted by time: before-restore-2026-11-30T10-21-05Z. */
export function keepFolder(kind: SwapRequest['kind'], now: Date): string {
  const stamp = `${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;
  return `${kind === 'restore' ? 'before-restore' : 'before-undo'}-${stamp}`;
}

/** Where the current world goes, as the host will have it. */
export function keptVolumes(request: SwapRequest): string {
  return `${request.keep}/${VOLUMES_DIRECTORY}`;
}

export function swapRequestText(request: SwapRequest): string {
  if (request.kind === 'undo') return [`keep=${request.keep}`, 'source=newest-before-restore'].join('\n');
  const from = new Date(request.jobCreatedAt.getTime() - RESTORE_FOLDER_SLACK_MS);
  const to = new Date(request.jobCompletedAt.getTime() + RESTORE_FOLDER_SLACK_MS);
  return [`keep=${request.keep}`, `restored-between=${compactUtc(from)} ${compactUtc(to)}`, `job=${request.jobId}`].join('\n');
}

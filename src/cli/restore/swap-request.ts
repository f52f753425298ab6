/**
 * What `gm restore` and `gm files --upload` ask the game host to do at its next boot, as the text of
 * the world-swap parameter. The host's gm-world-swap program
 * (src/constructs/game/world-swap-script.ts) reads it: lines `key=value`.
 */
export type SwapRequest =
  /** Put the volumes a restore job wrote in place. */
  | { readonly kind: 'restore'; readonly keep: string; readonly jobId: string; readonly jobCreatedAt: Date; readonly jobCompletedAt: Date }
  /** Go back to the newest before-restore folder. */
  | { readonly kind: 'undo'; readonly keep: string }
  /** Put the volumes `gm files --upload` staged in a folder of the world's root (see uploadFolder) in place. */
  | { readonly kind: 'upload'; readonly keep: string; readonly source: string };

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

/** A time for folder names, readable and sorted by time: 2026-11-30T10-21-05Z. */
function folderTime(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;
}

const KEEP_PREFIX: Record<SwapRequest['kind'], string> = { restore: 'before-restore', undo: 'before-undo', upload: 'before-upload' };

/** Where a swap keeps the current world: before-restore-2026-11-30T10-21-05Z, before-upload-…, before-undo-…. */
export function keepFolder(kind: SwapRequest['kind'], now: Date): string {
  return `${KEEP_PREFIX[kind]}-${folderTime(now)}`;
}

/** The folder of the world's root an upload stages into (its `volumes` is what the swap puts in place): upload-2026-11-30T10-45-00Z. */
export function uploadFolder(now: Date): string {
  return `upload-${folderTime(now)}`;
}

export function swapRequestText(request: SwapRequest): string {
  if (request.kind === 'undo') return [`keep=${request.keep}`, 'source=newest-before-restore'].join('\n');
  if (request.kind === 'upload') return [`keep=${request.keep}`, `source=${request.source}`].join('\n');
  const from = new Date(request.jobCreatedAt.getTime() - RESTORE_FOLDER_SLACK_MS);
  const to = new Date(request.jobCompletedAt.getTime() + RESTORE_FOLDER_SLACK_MS);
  return [`keep=${request.keep}`, `restored-between=${compactUtc(from)} ${compactUtc(to)}`, `job=${request.jobId}`].join('\n');
}

/** The keys of a swap request's text (the host's own reading of it is in world-swap-script.ts). */
function requestFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return fields;
}

/** The folder of the world's root an upload request puts in place; undefined for other requests. */
export function pendingUploadFolder(text: string): string | undefined {
  const source = requestFields(text).get('source');
  return source !== undefined && /^upload-/.test(source) ? source : undefined;
}

/** A pending request in a few words, for messages: "the upload in upload-2026-11-30T10-45-00Z". */
export function describeSwapRequest(text: string): string {
  const fields = requestFields(text);
  const upload = pendingUploadFolder(text);
  if (upload !== undefined) return `the upload in ${upload}`;
  if (fields.has('restored-between') || fields.has('job')) return `a restore${fields.has('job') ? ` (job ${fields.get('job')})` : ''}`;
  if (fields.get('source') === 'newest-before-restore') return 'an undo (back to the world set aside last)';
  return `a swap to ${fields.get('source') ?? 'an unnamed folder'}`;
}

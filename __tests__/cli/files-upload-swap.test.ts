/** What `gm files --upload` hands the host and says around it (src/cli/files/upload-swap.ts, src/cli/restore/swap-request.ts). */
import { uploadFailedLine, uploadedLines } from '../../src/cli/files/upload-swap';
import { describeSwapRequest, keepFolder, pendingUploadFolder, swapRequestText, uploadFolder } from '../../src/cli/restore/swap-request';

const WHEN = new Date('2026-11-30T10:45:00.123Z');

describe('the upload swap request', () => {
  it('keeps the current world in before-upload-<time> and takes upload-<time>, both with the same time', () => {
    const swap = { keep: keepFolder('upload', WHEN), source: uploadFolder(WHEN) };
    expect(swap).toEqual({ keep: 'before-upload-2026-11-30T10-45-00Z', source: 'upload-2026-11-30T10-45-00Z' });
    const text = swapRequestText({ kind: 'upload', ...swap });
    expect(text).toBe('keep=before-upload-2026-11-30T10-45-00Z\nsource=upload-2026-11-30T10-45-00Z');
    expect(pendingUploadFolder(text)).toBe('upload-2026-11-30T10-45-00Z');
    expect(describeSwapRequest(text)).toBe('the upload in upload-2026-11-30T10-45-00Z');
  });

  it('names the other requests a pending swap can be', () => {
    const restore = swapRequestText({ kind: 'restore', keep: keepFolder('restore', WHEN), jobId: 'job-7', jobCreatedAt: WHEN, jobCompletedAt: WHEN });
    const undo = swapRequestText({ kind: 'undo', keep: keepFolder('undo', WHEN) });
    expect(describeSwapRequest(restore)).toBe('a restore (job job-7)');
    expect(describeSwapRequest(undo)).toBe('an undo (back to the world set aside last)');
    expect(pendingUploadFolder(restore)).toBeUndefined();
    expect(pendingUploadFolder(undo)).toBeUndefined();
  });
});

describe('what gm files --upload says', () => {
  it('a permission denied on the host points at a host from an older deployment; other failures do not', () => {
    expect(uploadFailedLine('mc', 'Permission denied')).toBe(
      "gm files: the upload failed (Permission denied): mc's world on the host is unchanged; ec2-user may not write in /mnt/gm-world on a host launched from an older deployment: deploy, stop and start mc, then upload again",
    );
    expect(uploadFailedLine('mc', 'Failure')).toBe("gm files: the upload failed (Failure): mc's world on the host is unchanged");
  });

  it('after a --force over a pending request, says first which one it replaced', () => {
    const lines = uploadedLines('mc', { keep: 'before-upload-x', source: 'upload-x' }, { running: false, replaced: 'keep=k\nrestored-between=1 2\njob=job-7' });
    expect(lines[0]).toBe('(this replaces a restore (job job-7), which was waiting for the next start)');
    expect(lines[2]).toBe('  the uploaded world (now in /mnt/gm-world/upload-x/volumes) goes in place at /mnt/gm-world/volumes');
  });
});

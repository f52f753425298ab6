/**
 * Files and bytes of a copy, shown on the progress line at most a few times
 * a second (a log without a terminal gets a line per change).
 */
import type { CliIo } from '../io';
import { formatBytes } from './world-folders';

const REFRESH_MS = 250;

export class CopyProgress {
  files = 0;
  bytes = 0;
  private shownAt = 0;

  constructor(
    private readonly io: CliIo,
    private readonly verb: string,
    readonly totalFiles: number,
    readonly totalBytes: number,
  ) {}

  addBytes(bytes: number): void {
    this.bytes += bytes;
    this.show(false);
  }

  fileDone(): void {
    this.files++;
    this.show(true);
  }

  /** "12 of 40 files, 3.1 MB of 45.0 MB" */
  summary(): string {
    return `${this.files} of ${this.totalFiles} files, ${formatBytes(this.bytes)} of ${formatBytes(this.totalBytes)}`;
  }

  private show(always: boolean): void {
    const now = Date.now();
    if (!always && now - this.shownAt < REFRESH_MS) return;
    this.shownAt = now;
    this.io.progress(`${this.verb}: ${this.summary()}`);
  }

  end(): void {
    this.io.progress(undefined);
  }
}

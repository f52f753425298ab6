import type { CliIo } from './io';

/** Exit statuses shared by every command, so scripts can tell a failure from a typo. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Command {
  readonly name: string;
  /** One line for `gm help`. */
  readonly summary: string;
  /** Full usage, printed for `gm <name> --help` and after a usage error. */
  readonly usage: string;
  /** Returns the process exit status. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A mistake in the command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

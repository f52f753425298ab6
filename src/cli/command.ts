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

/**
 * A gm command as the user types it, in backticks: the one form every
 * command prints, so the hints read the same everywhere.
 */
export function gmCommandLine(args: string): string {
  return `\`npm run --silent gm -- ${args}\``;
}

/** A mistake in the command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

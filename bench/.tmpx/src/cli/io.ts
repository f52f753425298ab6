/**
 * Where a command writes. Commands take it as a parameter so tests can
 * capture output without spawning a process.
 */
export interface CliIo {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

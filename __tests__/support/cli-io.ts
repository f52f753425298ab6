import type { CliIo } from '../../src/cli/io';

/** A CliIo that keeps what a command printed, for in-process tests. */
export function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
}

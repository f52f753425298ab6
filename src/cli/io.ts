/**
 * Where a command writes, what it may ask, and how it learns of Ctrl-C.
 * Commands take it as a parameter so tests can capture output, answer
 * prompts and press Ctrl-C without spawning a process.
 */
import { createInterface } from 'node:readline/promises';

export interface CliIo {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  /**
   * The state of a long operation (stderr). On a terminal the line is
   * rewritten in place; elsewhere each new text is printed once, so a log
   * shows every step. `undefined` ends it (the next output starts a new line).
   */
  progress(line: string | undefined): void;
  /** Whether a person can answer a question (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** Asks a question on the terminal and resolves to the answer, trimmed. */
  ask(question: string): Promise<string>;
  /**
   * Aborted at the first Ctrl-C. Long operations stop at a safe point and
   * say what state they left; a second Ctrl-C ends the process at once.
   */
  readonly interrupted: AbortSignal;
}

let interruption: AbortController | undefined;

/** The process's Ctrl-C as an AbortSignal (installed on first use). */
function processInterrupted(): AbortSignal {
  if (!interruption) {
    const controller = new AbortController();
    interruption = controller;
    process.on('SIGINT', () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort(new Error('interrupted (Ctrl-C)'));
    });
  }
  return interruption.signal;
}

let progressShown = '';

/** A spinner frame in front of a progress line (src/cli/progress.ts). */
const SPINNER = /^[\u2800-\u28ff] /;

/** What a progress line says, without its spinner frame and elapsed seconds. */
function step(line: string): string {
  return line.replace(SPINNER, '').replace(/\d+ ?s\b/g, '');
}

function writeProgress(line: string | undefined): void {
  const tty = process.stderr.isTTY === true;
  if (line === undefined) {
    if (tty && progressShown) process.stderr.write('\r\x1b[K');
    progressShown = '';
    return;
  }
  if (line === progressShown) return;
  if (tty) process.stderr.write(`\r\x1b[K${line}`);
  // Without a terminal, only a new step is worth a line (not every elapsed second or spinner frame).
  else if (step(line) !== step(progressShown)) process.stderr.write(`${line.replace(SPINNER, '')}\n`);
  progressShown = line;
}

/** A line printed while a progress line is shown starts on a line of its own. */
function clearingProgress(write: (line: string) => void): (line: string) => void {
  return (line) => {
    if (progressShown && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    write(line);
    if (progressShown && process.stderr.isTTY) process.stderr.write(progressShown);
  };
}

export const processIo: CliIo = {
  out: clearingProgress((line) => process.stdout.write(`${line}\n`)),
  err: clearingProgress((line) => process.stderr.write(`${line}\n`)),
  progress: writeProgress,
  get interactive() {
    return process.stdin.isTTY === true && process.stderr.isTTY === true;
  },
  async ask(question) {
    writeProgress(undefined);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  },
  get interrupted() {
    return processInterrupted();
  },
};

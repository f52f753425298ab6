import type { CliIo } from '../../src/cli/io';

export interface CapturedIo {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
  /** Every progress text, in order (`undefined` marks the end of a progress line). */
  readonly progress: (string | undefined)[];
  /** The questions asked, in order. */
  readonly asked: string[];
  /** Presses Ctrl-C. */
  interrupt(): void;
}

/**
 * A CliIo that keeps what a command printed, for in-process tests.
 * `answers` are given to the command's questions in order (a question with
 * no answer left fails the test); `interactive` says whether a person is
 * there to answer.
 */
export function captureIo(options: { answers?: readonly string[]; interactive?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const progress: (string | undefined)[] = [];
  const asked: string[] = [];
  const answers = [...(options.answers ?? [])];
  const controller = new AbortController();
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    progress: (line) => progress.push(line),
    interactive: options.interactive ?? options.answers !== undefined,
    ask: async (question) => {
      asked.push(question);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return answer;
    },
    interrupted: controller.signal,
  };
  return { io, out, err, progress, asked, interrupt: () => controller.abort(new Error('interrupted (Ctrl-C)')) };
}

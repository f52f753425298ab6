/** A problem in the configuration file, located by its field path. */
export interface ConfigProblem {
  /** `games.mc.ports[0].port`, or `(file)` for problems with the file as a whole. */
  readonly path: string;
  readonly message: string;
}

/** Every problem found in one configuration file; `format()` is what the user sees. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: readonly ConfigProblem[]) {
    super(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    this.name = 'ConfigError';
  }

  /** What the user sees; `shownFile` names the file as the user knows it (relative to where they ran synth). */
  format(shownFile = this.file): string {
    const lines = this.problems.map((p) => `  ${p.path}: ${p.message}`);
    const count = `${this.problems.length} problem${this.problems.length === 1 ? '' : 's'}`;
    return [`${shownFile} has ${count}:`, ...lines, 'Nothing was synthesized. Fix the file and run again.'].join('\n');
  }
}

/** Keys printed as they are; any other key (blank, spaces, dots, line breaks, quotes) is quoted, JSON-style: `games["a b"]`. */
const PLAIN_KEY = /^[\p{L}\p{N}_$@:\/+=*-]+$/u;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (!PLAIN_KEY.test(String(key))) out += out ? `[${JSON.stringify(String(key))}]` : JSON.stringify(String(key));
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

/**
 * What a function printed through Powertools during each test: its JSON log
 * lines and its EMF metric documents (stdout and stderr, as in Lambda).
 */
export interface Output {
  /** Powertools log lines (JSON), in order. */
  readonly logs: () => { level: string; message: string; [key: string]: unknown }[];
  /** EMF metric documents. */
  readonly metrics: () => Record<string, unknown>[];
  /** The sum of one metric over every document. */
  readonly metric: (name: string) => number;
}

/** Captures what Powertools prints (stdout and stderr) during each test. */
export function captureOutput(): Output {
  let lines: string[] = [];
  beforeEach(() => {
    lines = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      lines.push(...String(chunk).split('\n').filter((l) => l.trim() !== ''));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  const json = (): Record<string, unknown>[] =>
    lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    logs: () => json().filter((o) => typeof o.level === 'string') as ReturnType<Output['logs']>,
    metrics: () => json().filter((o) => '_aws' in o),
    metric: (name) => json().filter((o) => '_aws' in o).reduce((sum, o) => sum + (typeof o[name] === 'number' ? (o[name] as number) : 0), 0),
  };
}


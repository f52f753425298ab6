/**
 * What the waker prints, read back: Powertools log lines (JSON, one console
 * call each) and EMF metric documents (console.log). See powertools-env.ts.
 */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export interface Metric {
  readonly name: string;
  readonly value: unknown;
  /** The `game` dimension, when the metric has one. */
  readonly game?: string;
}

export interface Output {
  logs(): LogLine[];
  metrics(): Metric[];
  /** Forgets what was printed so far. */
  clear(): void;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Captures the console until jest.restoreAllMocks(). */
export function captureOutput(): Output {
  let printed: string[] = [];
  for (const method of METHODS) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
  const documents = () =>
    printed.flatMap((text) => {
      try {
        const doc = JSON.parse(text) as unknown;
        return typeof doc === 'object' && doc !== null ? [doc as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return {
    logs: () =>
      documents()
        .filter((doc) => !('_aws' in doc) && typeof doc.message === 'string')
        .map((doc) => ({ ...doc, level: String(doc.level), message: String(doc.message) })),
    metrics: () =>
      documents()
        .filter((doc) => '_aws' in doc)
        .flatMap((doc) => {
          const aws = doc._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
          return aws.CloudWatchMetrics.flatMap((directive) => {
            const hasGame = directive.Dimensions.some((set) => set.includes('game'));
            return directive.Metrics.map(({ Name }) => ({
              name: Name,
              value: doc[Name],
              ...(hasGame ? { game: String(doc.game) } : {}),
              ...(directive.Namespace === 'GameManagement' ? {} : { namespace: directive.Namespace }),
            }));
          });
        }),
    clear: () => {
      printed = [];
    },
  };
}

/** Reads what Powertools printed: log lines (JSON) and EMF metric documents. */

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export interface EmittedMetric {
  readonly name: string;
  readonly value: unknown;
  readonly game?: string;
}

export interface Output {
  logs(): LogLine[];
  /** Log lines at WARN or above. */
  problems(): LogLine[];
  metrics(): EmittedMetric[];
  /** Metric names in the order emitted. */
  metricNames(): string[];
  clear(): void;
  restore(): void;
}

/** Captures console output (silencing it) until `restore`. */
export function captureOutput(): Output {
  const printed: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...data: unknown[]) => {
      if (typeof data[0] === 'string') printed.push(data[0]);
    }),
  );
  const docs = (): Record<string, unknown>[] =>
    printed.flatMap((text) => {
      try {
        const doc = JSON.parse(text) as unknown;
        return typeof doc === 'object' && doc !== null ? [doc as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  const logs = () => docs().filter((d): d is LogLine => typeof d.level === 'string' && typeof d.message === 'string');
  const metrics = (): EmittedMetric[] =>
    docs().flatMap((doc) => {
      const aws = doc._aws as { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
      if (!aws?.CloudWatchMetrics) return [];
      return aws.CloudWatchMetrics.flatMap((directive) => {
        if (directive.Namespace !== 'GameManagement') throw new Error(`metric in namespace ${directive.Namespace}`);
        const hasGame = directive.Dimensions.some((set) => set.includes('game'));
        return directive.Metrics.map(({ Name }) => ({ name: Name, value: doc[Name], ...(hasGame ? { game: String(doc.game) } : {}) }));
      });
    });
  return {
    logs,
    problems: () => logs().filter((l) => ['WARN', 'ERROR', 'CRITICAL'].includes(l.level)),
    metrics,
    metricNames: () => metrics().map((m) => m.name),
    clear: () => {
      printed.length = 0;
    },
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

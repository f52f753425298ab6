/**
 * What a function printed through Powertools, read back: its JSON log lines
 * and its EMF metric documents (src/lambdas/shared/telemetry.ts), so a test
 * asserts that a failure is visible in a log line and a metric.
 *
 * Use: import './powertools-env' (support/) first, then at the top of the
 * test file (or of a describe block):
 *
 *   const output = capturePowertools();
 *   ...
 *   expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR' }));
 *   expect(output.metrics()).toContainEqual({ name: 'WakeFailures', value: 1, game: 'mc' });
 *
 * Capture starts afresh before each test and ends after it. Both ways
 * Powertools prints are read: the global console (dev mode, as
 * powertools-env.ts sets) and process.stdout/stderr (Lambda's way), and
 * nothing reaches jest's report.
 */
import { NAMESPACE } from '../../src/lambdas/shared/telemetry';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** One metric of one EMF document. */
export interface Metric {
  readonly name: string;
  readonly value: unknown;
  /** The `game` dimension, when the document has one. */
  readonly game?: string;
}

export interface PowertoolsOutput {
  /** Log lines, in order. */
  logs(): LogLine[];
  /** Log lines at WARN or above. */
  problems(): LogLine[];
  /** Every metric of every EMF document, in order. Throws on a namespace other than the project's. */
  metrics(): Metric[];
  /** The names of `metrics()`. */
  metricNames(): string[];
  /** The sum of one metric over every document (0 when never emitted). */
  metric(name: string): number;
  /** The EMF documents as printed (one per game per flush). */
  documents(): Record<string, unknown>[];
  /** Forgets what was printed so far in this test. */
  clear(): void;
}

interface Directive {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string }[];
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const PROBLEM_LEVELS = ['WARN', 'ERROR', 'CRITICAL'];

/** JSON objects in printed text: a whole print (pretty or not), else line by line. */
function jsonObjects(text: string): Record<string, unknown>[] {
  const parse = (t: string): Record<string, unknown> | undefined => {
    try {
      const value = JSON.parse(t) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const whole = parse(text.trim());
  if (whole) return [whole];
  return text.split('\n').flatMap((line) => {
    const doc = line.trim() === '' ? undefined : parse(line);
    return doc ? [doc] : [];
  });
}

/** Registers the capture around every test of the enclosing file or describe block; returns the reader. */
export function capturePowertools(): PowertoolsOutput {
  let printed: string[] = [];
  let spies: jest.SpyInstance[] = [];

  beforeEach(() => {
    printed = [];
    spies = [
      ...CONSOLE_METHODS.map((method) =>
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          printed.push(args.map(String).join(' '));
        }),
      ),
      ...[process.stdout, process.stderr].map((stream) =>
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
          return true;
        }),
      ),
    ];
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
    spies = [];
  });

  const docs = () => printed.flatMap(jsonObjects);
  const documents = () => docs().filter((doc) => '_aws' in doc);
  const logs = (): LogLine[] =>
    docs().filter((doc): doc is Record<string, unknown> & LogLine => !('_aws' in doc) && typeof doc.level === 'string' && typeof doc.message === 'string');
  const metrics = (): Metric[] =>
    documents().flatMap((doc) => {
      const directives = (doc._aws as { CloudWatchMetrics?: readonly Directive[] }).CloudWatchMetrics ?? [];
      return directives.flatMap((directive) => {
        if (directive.Namespace !== NAMESPACE) throw new Error(`a metric in namespace ${directive.Namespace}, not ${NAMESPACE}`);
        const hasGame = directive.Dimensions.some((set) => set.includes('game'));
        return directive.Metrics.map(({ Name }) => ({ name: Name, value: doc[Name], ...(hasGame ? { game: String(doc.game) } : {}) }));
      });
    });
  const sum = (value: unknown): number =>
    typeof value === 'number' ? value : Array.isArray(value) ? value.reduce((total: number, v) => total + sum(v), 0) : 0;

  return {
    logs,
    problems: () => logs().filter((line) => PROBLEM_LEVELS.includes(line.level)),
    metrics,
    metricNames: () => metrics().map((m) => m.name),
    metric: (name) => metrics().filter((m) => m.name === name).reduce((total, m) => total + sum(m.value), 0),
    documents,
    clear: () => {
      printed = [];
    },
  };
}

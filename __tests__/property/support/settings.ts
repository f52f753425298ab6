/**
 * One fixed seed for every property, so a run is repeatable; fast-check
 * prints it (with the shrunk counterexample) when a property fails, and
 * `GM_PROPERTY_SEED=<seed>` replays that run. `GM_PROPERTY_RUNS=<n>`
 * multiplies the runs for a longer search (`=10` for ten times as many).
 */
import type fc from 'fast-check';

export const SEED = Number(process.env.GM_PROPERTY_SEED ?? 80808);
const FACTOR = Number(process.env.GM_PROPERTY_RUNS ?? 1);

export function parameters<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * FACTOR)), verbose: 1 };
}

/** Fails the current run with a readable account of the case, or passes. */
export function expectClean(failures: readonly string[], steps: readonly string[], text: string): void {
  if (failures.length === 0) return;
  throw new Error([
    `seed ${SEED}: ${failures.length} broken rule${failures.length === 1 ? '' : 's'}:`,
    ...failures.map((f) => `  - ${f.split('\n').join('\n    ')}`),
    'after:', ...steps.map((s) => `  ${s}`),
    'YAML:', text.length > 3000 ? `${text.slice(0, 3000)}…` : text,
  ].join('\n'));
}

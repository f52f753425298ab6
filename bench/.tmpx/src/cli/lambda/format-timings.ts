import type { StepTiming } from '../../lambdas/shared/steps';

function formatMs(ms: number): string {
  // Sub-10 ms steps (mocked or cached calls) would all print as 0-9 without a decimal.
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

/**
 * The lines `gm lambda` prints after a run: each step as `  <name>  <ms> ms`
 * (names padded so the numbers line up, failed steps marked) and the
 * handler's whole run time as `total`.
 */
export function formatStepTimings(timings: readonly StepTiming[], totalMs: number): string[] {
  const width = Math.max('total'.length, ...timings.map((t) => t.name.length));
  const line = (name: string, ms: number, suffix = '') => `  ${name.padEnd(width)}  ${formatMs(ms).padStart(6)} ms${suffix}`;
  return [...timings.map((t) => line(t.name, t.ms, t.ok ? '' : '  (failed)')), line('total', totalMs)];
}

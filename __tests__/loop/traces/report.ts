/**
 * Runs every recorded play trace through the real functions against the
 * simulated AWS and prints what it cost and how it behaved. Used by the
 * bench (`printTraceReport()`) and checked by __tests__/loop/traces.test.ts.
 */
import '../../support/powertools-env-silent';
import { PRICES, runTrace, type TraceResult } from './runner';
import { loadTraces, type Trace } from './trace';

export async function runAllTraces(traces: readonly Trace[] = loadTraces()): Promise<TraceResult[]> {
  const results: TraceResult[] = [];
  // One at a time: each replaces Date and the SDK clients' send for its run.
  for (const trace of traces) results.push(await runTrace(trace));
  return results;
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');
}

/** The report as text: one line per trace, then what each one noticed. */
export function formatTraceReport(results: readonly TraceResult[]): string {
  const header = ['trace', 'min', 'starts', 'false', 'stops', 'restart', 'spot', 'failed', 'inst', 'up h', 'ready h', 'wait s', 'cost $', 'violations'];
  const widths = [18, 5, 6, 5, 5, 7, 4, 6, 4, 6, 7, 6, 7, 10];
  const lines = [
    `Play traces through the real waker, instance hook and watchdog (simulated AWS and clock; connections probe answered with the trace's players).`,
    `Cost: instance hours x $${PRICES.onDemandPerHour}/h on-demand or $${PRICES.spotPerHour}/h spot (t3.medium, eu-west-1, assumed) + $${PRICES.publicIpv4PerHour}/h public IPv4; 60 s minimum per start.`,
    row(header, widths),
  ];
  for (const r of results) {
    lines.push(
      row(
        [
          r.name,
          r.minutes,
          r.starts,
          r.falseWakes,
          r.stops,
          r.restartsAfterStop,
          r.spotInterruptions,
          r.launchFailures,
          r.instances,
          r.instanceHours.toFixed(2),
          r.playableHours.toFixed(2),
          r.longestWaitSeconds,
          r.costUsd.toFixed(3),
          r.violations.length,
        ],
        widths,
      ),
    );
  }
  const total = results.reduce((sum, r) => sum + r.costUsd, 0);
  lines.push(`total cost $${total.toFixed(3)}; columns: false = starts nobody played, restart = started again by the end of a stop, spot = interruptions, failed = launches, inst = EC2 instances, up = instance hours, ready = hours the game was playable, wait = longest wait for a playable game`);
  for (const r of results) {
    for (const i of r.interruptions) lines.push(`  ${r.name}: ${i}`);
    for (const e of r.errors) lines.push(`  ${r.name}: error ${e}`);
    for (const v of r.violations) lines.push(`  ${r.name}: VIOLATION ${v}`);
  }
  return lines.join('\n');
}

/** Runs the traces and prints the report; resolves to the results (for callers that check them). */
export async function printTraceReport(): Promise<TraceResult[]> {
  const results = await runAllTraces();
  console.log(formatTraceReport(results));
  return results;
}

/**
 * Named, timed steps inside a handler. `gm lambda <name> --event …` prints the
 * recorded timings after the run; in Lambda they are only kept in memory.
 */
export interface StepTiming {
  readonly name: string;
  readonly ms: number;
  readonly ok: boolean;
}

const timings: StepTiming[] = [];
/** Only local runs read the timings; in a warm Lambda container the oldest are dropped so memory stays flat. */
export const MAX_KEPT_TIMINGS = 200;

function record(timing: StepTiming): void {
  timings.push(timing);
  if (timings.length > MAX_KEPT_TIMINGS) timings.splice(0, timings.length - MAX_KEPT_TIMINGS);
}

export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    const result = await fn();
    record({ name, ms: performance.now() - start, ok: true });
    return result;
  } catch (e) {
    record({ name, ms: performance.now() - start, ok: false });
    throw e;
  }
}

/** Returns and clears the timings recorded so far. */
export function takeStepTimings(): StepTiming[] {
  return timings.splice(0, timings.length);
}

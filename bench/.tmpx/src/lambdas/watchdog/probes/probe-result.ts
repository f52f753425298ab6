/**
 * What one probe learned about the game. Probes never throw: an answer that
 * could not be had is `{ ok: false }`, and the decision treats it as
 * "unknown", never as "nobody is playing".
 */
export type ProbeResult =
  | { readonly ok: true; readonly players: number; readonly latencyMs: number }
  | { readonly ok: false; readonly error: string };

export function probeFailure(error: unknown): ProbeResult {
  return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

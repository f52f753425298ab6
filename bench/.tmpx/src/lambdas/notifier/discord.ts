/** Posts one message to a Discord webhook, bounded in time; reports failure instead of throwing. */
import { discordBody } from './decide';

export type PostResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly status?: number;
      /** Seconds Discord asks to wait before the next post (HTTP 429). */
      readonly retryAfterSeconds?: number;
    };

/** Longest error body kept for the log; Discord's error bodies are short JSON. */
const ERROR_BODY_MAX = 300;

export async function postToDiscord(url: string, content: string, timeoutMs: number): Promise<PostResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(discordBody(content)),
      signal: abort.signal,
    });
    if (response.ok) {
      // Release the connection; the body (empty or the message) is not needed.
      await response.body?.cancel();
      return { ok: true };
    }
    // Read under the same timeout, so a server that stalls mid-body cannot hold the function.
    const body = (await response.text()).slice(0, ERROR_BODY_MAX);
    const retryAfterSeconds = response.status === 429 ? retryAfterOf(body, response.headers.get('retry-after')) : undefined;
    return {
      ok: false,
      status: response.status,
      reason: `webhook answered HTTP ${response.status}: ${body}`,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  } catch (e) {
    if (abort.signal.aborted) return { ok: false, reason: `webhook did not answer within ${timeoutMs} ms` };
    return { ok: false, reason: `webhook request failed: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Discord's 429 body says `retry_after` (seconds); the Retry-After header says it too. */
function retryAfterOf(body: string, header: string | null): number | undefined {
  try {
    const parsed = JSON.parse(body) as { retry_after?: unknown };
    if (typeof parsed.retry_after === 'number' && Number.isFinite(parsed.retry_after)) return parsed.retry_after;
  } catch {
    // Not JSON: fall back to the header.
  }
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) ? seconds : undefined;
}

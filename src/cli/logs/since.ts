/**
 * `--since`: how far back `gm logs` reads, as a duration back from now
 * (30s, 10m, 1h, 2d) or an ISO time.
 */
import { UsageError } from '../command';

export const DEFAULT_SINCE = '1h';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** CloudWatch Logs keeps nothing older than its longest retention (10 years); further back is surely a typo. */
const MAX_BACK_MS = 10 * 366 * UNIT_MS.d!;

// A date, optionally a time with an optional zone: what people type and what `date -Is` prints.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

function sinceError(value: string, why: string): UsageError {
  return new UsageError(`--since ${why}, got "${value}"; give a duration back from now (30s, 10m, 1h, 2d) or an ISO time (2026-11-30T10:00 or 2026-11-30T10:00:00Z)`);
}

/** Date.parse turns November 31 into December 1; a day the month lacks is a typo. */
function isCalendarDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The start of the window in ms since the epoch. */
export function parseSince(value: string, nowMs: number): number {
  const trimmed = value.trim();
  const duration = /^(\d+)\s*([smhd])$/i.exec(trimmed);
  if (duration) {
    const back = Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!;
    if (back <= 0) throw sinceError(value, 'must be longer than zero');
    if (back > MAX_BACK_MS) throw sinceError(value, 'reaches back further than any log is kept');
    return nowMs - back;
  }
  if (ISO_TIME.test(trimmed)) {
    // A date alone would be read as UTC midnight by Date.parse; people mean their own midnight.
    const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00` : trimmed.replace(' ', 'T'));
    if (Number.isNaN(at) || !isCalendarDate(trimmed)) throw sinceError(value, 'is not a valid time');
    if (at > nowMs) throw sinceError(value, 'is in the future');
    return at;
  }
  throw sinceError(value, 'is neither a duration nor an ISO time');
}

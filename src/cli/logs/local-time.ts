/**
 * Times as `gm logs` prints them: in the reader's own time zone, with the
 * offset, so a line can be matched with the player who saw it happen.
 * `timeZone` is an IANA name; undefined means the system's.
 */

interface LocalParts {
  readonly date: string;
  readonly time: string;
  readonly offset: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formats.set(key, format);
  }
  return format;
}

/** A moment's local date, time and offset; shared with src/cli/restore/format.ts so both commands read the clock the same way. */
export function localParts(ms: number, timeZone: string | undefined): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  // longOffset is "GMT+05:30", or just "GMT" at UTC.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}`, offset };
}

/** `2026-11-30T11:00:05.042+01:00`. */
export function localIsoTime(ms: number, timeZone?: string): string {
  const { date, time, offset } = localParts(ms, timeZone);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${date}T${time}.${millis}${offset}`;
}

/** `10:00` when `ms` is on the same local day as `nowMs`, else `2026-11-28 10:00`: how a person names a moment. */
export function shortLocalTime(ms: number, nowMs: number, timeZone?: string): string {
  const at = localParts(ms, timeZone);
  const hhmm = at.time.slice(0, 5);
  return at.date === localParts(nowMs, timeZone).date ? hhmm : `${at.date} ${hhmm}`;
}

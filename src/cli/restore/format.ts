/** How `gm backups` and `gm restore` print times, sizes and tables. */
import { localParts } from '../logs/local-time';

/**
 * The time in a time zone (default: the local one), ISO 8601 with its offset,
 * to the minute: 2026-11-30T04:05+01:00 (Z in UTC). The shorter form of
 * `gm logs`' clock (src/cli/logs/local-time.ts), whose parts it reuses.
 */
export function localIsoTime(time: Date, timeZone?: string): string {
  const { date, time: clock, offset } = localParts(time.getTime(), timeZone);
  return `${date}T${clock.slice(0, 5)}${/^[+-]00:00$/.test(offset) ? 'Z' : offset}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes for people: 812 B, 3.4 MiB, 12 GiB (three significant digits at most). */
export function humanSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 100 ? String(Math.round(value)) : value >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/\.?0+$/, '');
  return `${shown} ${UNITS[unit]}`;
}

/** Rows under a header, columns left-aligned and two spaces apart (no trailing spaces). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

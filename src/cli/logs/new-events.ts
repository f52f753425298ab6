/**
 * Which events of a poll are new. Each poll of `gm logs --follow` reads from
 * the newest timestamp seen, inclusive: an event written in the same
 * millisecond as the last one printed may arrive only in a later poll, so
 * that millisecond is read again and the events already printed are known by
 * their eventId.
 */
import type { LogEvent } from './read-events';

export class NewEvents {
  private newest: number;
  /** The eventIds printed at `newest` (older ones are never read again). */
  private idsAtNewest = new Set<string>();

  constructor(startTime: number) {
    this.newest = startTime;
  }

  /** Where the next poll starts (ms since the epoch, inclusive). */
  get nextStartTime(): number {
    return this.newest;
  }

  /** The events not yet taken, in the order given; remembers them. */
  take(events: readonly LogEvent[]): LogEvent[] {
    const fresh: LogEvent[] = [];
    for (const event of events) {
      if (event.timestamp < this.newest) continue;
      if (event.timestamp === this.newest && this.idsAtNewest.has(event.eventId)) continue;
      if (event.timestamp > this.newest) {
        this.newest = event.timestamp;
        this.idsAtNewest = new Set();
      }
      this.idsAtNewest.add(event.eventId);
      fresh.push(event);
    }
    return fresh;
  }
}

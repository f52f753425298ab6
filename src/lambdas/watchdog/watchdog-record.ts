/**
 * The watchdog's own view of the state it keeps in the game's SSM parameter:
 * the shared `WatchdogState` plus a few optional fields only the watchdog
 * reads. Other readers (instance hook, failsafe) ignore the extra fields, and
 * a state written without them (by the instance hook at launch) is valid.
 */
import type { WatchdogState } from '../../runtime/contract';

export type StopReason = 'idle' | 'never-ready' | 'max-hours' | 'unreachable';

export interface WatchdogRecord extends WatchdogState {
  /**
   * ISO time the zero-player clock started: readyAt, the last time players
   * were seen, moved later by the minutes the probe could not answer (those
   * minutes are unknown, not idle).
   */
  readonly idleSince?: string;
  /** ISO time of the first probe error of the current run of errors. */
  readonly probeErrorsSince?: string;
  /** Last probe error, for the alert when the game never gets ready or becomes unreachable. */
  readonly lastProbeError?: string;
  /** ISO time the watchdog decided to stop this instance; no second decision is made after it. */
  readonly stopRequestedAt?: string;
  readonly stopReason?: StopReason;
}

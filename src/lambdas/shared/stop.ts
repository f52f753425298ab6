/**
 * The stop rule of a game, once, for the watchdog, the failsafe and `gm stop`:
 * the group goes to 0 (the instance hook then drains the host, lets the game
 * save and ends the session), and the decision — when and why — is recorded
 * in the watchdog state of the instance being stopped, so that `gm status`
 * can say why the last stop happened long after the session has ended.
 *
 * The group is scaled first, the decision recorded second: a stop whose
 * scale-down failed must not be recorded (the watchdog would take the
 * recorded stop for one a wake overrode, and restart its idle clock).
 */
import { chooseInstance, type GroupSnapshot } from '../../runtime/session';
import { parseWatchdogState, withStopDecision, type StopReason, type WatchdogState } from '../../runtime/watchdog-state';
import { describeGroup, setDesiredCapacity } from './auto-scaling';
import { readParameter, writeParameter } from './parameters';
import { describeError } from './transient';

/** The names a stop needs (a `RuntimeGame` and the CLI's game target have them). */
export interface StopTarget {
  readonly asgName: string;
  readonly stateParameterName: string;
}

/** What the caller already read, so the rule does not read it again. */
export interface KnownFacts {
  readonly group?: GroupSnapshot;
  /**
   * The caller's own up-to-date state of the instance it watches, with the
   * decision already in it (the watchdog's): written as it is, and a failed
   * write is thrown, since it is the caller's save.
   */
  readonly state?: WatchdogState;
}

export type StopOutcome =
  /** This request set the group to 0. `recorded`: the decision is in the watchdog state (`problem` says why not). */
  | { readonly result: 'stopping'; readonly group: GroupSnapshot; readonly recorded: boolean; readonly problem?: string }
  /** The group was at 0 already and an instance is still leaving: the stop under way goes on. */
  | { readonly result: 'already-stopping'; readonly group: GroupSnapshot }
  /** The group was at 0 with no instance. */
  | { readonly result: 'already-stopped'; readonly group: GroupSnapshot }
  | { readonly result: 'missing' };

export async function requestStop(target: StopTarget, reason: StopReason, now: Date, region?: string, known: KnownFacts = {}): Promise<StopOutcome> {
  const group = known.group ?? (await describeGroup(target.asgName, region));
  if (!group) return { result: 'missing' };
  if (group.desiredCapacity === 0) {
    return group.instances.length > 0 ? { result: 'already-stopping', group } : { result: 'already-stopped', group };
  }
  await setDesiredCapacity(target.asgName, 0, region);

  if (known.state) {
    await writeParameter(target.stateParameterName, JSON.stringify(known.state), region);
    return { result: 'stopping', group, recorded: true };
  }
  // The group is at 0 now: whatever fails below, the game stops. The record only explains it later.
  try {
    const stored = parseWatchdogState(await readParameter(target.stateParameterName, region));
    const instanceId = chooseInstance(group)?.instanceId;
    if (!stored.ok) return { result: 'stopping', group, recorded: false, problem: `watchdog state: ${stored.problem}` };
    if (instanceId === undefined || stored.value.instanceId !== instanceId) {
      return { result: 'stopping', group, recorded: false, problem: `watchdog state belongs to instance ${stored.value.instanceId}, not the one stopping` };
    }
    await writeParameter(target.stateParameterName, JSON.stringify(withStopDecision(stored.value, reason, now)), region);
    return { result: 'stopping', group, recorded: true };
  } catch (e) {
    return { result: 'stopping', group, recorded: false, problem: describeError(e) };
  }
}

/**
 * The start and stop rules of a game, once, for every function and the CLI
 * (see `src/runtime/session.ts` for the two parameters they rest on).
 *
 * `requestStart` is what a wake (a player's lookup, `gm start`) does: it
 * starts the game unless it runs, records the wake when the game is still
 * stopping, and starts it at most once however many requests come at once.
 * `endSession` is what the end of a stop does: it frees the session and
 * starts the game again when a wake came during the stop.
 */
import * as v from 'valibot';
import {
  groupCondition,
  isStaleSession,
  PendingWakeSchema,
  SessionSchema,
  worldHeld,
  type GroupSnapshot,
  type PendingWake,
  type Session,
  type StartSource,
} from '../../runtime/session';
import { parseStored } from '../../runtime/watchdog-state';
import { describeGroup, setDesiredCapacity } from './auto-scaling';
import { createParameter, deleteParameter, readParameter, writeParameter } from './parameters';

/** The names a start needs (a `RuntimeGame` or a waker route has them). */
export interface SessionTarget {
  readonly id: string;
  readonly asgName: string;
  readonly sessionParameterName: string;
  readonly pendingWakeParameterName: string;
}

export interface StartRequest {
  readonly source: StartSource;
  /** ISO time of the player's lookup, when a lookup asked for the start. */
  readonly lookupAt?: string;
  readonly query?: string;
  readonly now: Date;
}

export type StartOutcome =
  /** This request started the game: the caller announces "starting". */
  | { readonly result: 'started'; readonly session: Session }
  /** The game runs or another request is starting it: nothing to do, nothing to announce. */
  | { readonly result: 'already-up' }
  /** The game is still stopping: the wake is recorded and the end of the stop starts the game. */
  | { readonly result: 'deferred'; readonly group: GroupSnapshot }
  | { readonly result: 'missing' };

export async function readSession(target: SessionTarget, region?: string): Promise<Session | undefined> {
  const parsed = parseStored(SessionSchema, await readParameter(target.sessionParameterName, region));
  return parsed.ok ? parsed.value : undefined;
}

export async function writeSession(target: SessionTarget, session: Session, region?: string): Promise<void> {
  await writeParameter(target.sessionParameterName, JSON.stringify(v.parse(SessionSchema, session)), region);
}

async function sessionExists(target: SessionTarget, region?: string): Promise<boolean> {
  return (await readParameter(target.sessionParameterName, region)) !== undefined;
}

function newSession(request: StartRequest): Session {
  return {
    startedAt: request.now.toISOString(),
    source: request.source,
    ...(request.lookupAt ? { lookupAt: request.lookupAt } : {}),
    ...(request.query ? { query: request.query } : {}),
  };
}

function pendingWake(request: StartRequest): PendingWake {
  return {
    recordedAt: request.now.toISOString(),
    source: request.source,
    ...(request.lookupAt ? { lookupAt: request.lookupAt } : {}),
    ...(request.query ? { query: request.query } : {}),
  };
}

/**
 * Starts the game once. Two rounds at most: the second runs only when the
 * stop ended, or a stale session was cleared, between the first round's reads.
 */
export async function requestStart(target: SessionTarget, request: StartRequest, region?: string): Promise<StartOutcome> {
  let recordedPending = false;
  for (let round = 0; round < 2; round++) {
    const session = newSession(request);
    if (await createParameter(target.sessionParameterName, JSON.stringify(session), region)) {
      // The previous session has ended, so its host has saved; the group is checked anyway
      // for hosts that no session covered (started by hand, or before sessions existed).
      const group = await describeGroup(target.asgName, region);
      if (!group) {
        await deleteParameter(target.sessionParameterName, region);
        return { result: 'missing' };
      }
      if (group.desiredCapacity === 0 && worldHeld(group)) {
        // Keep the claim: the end of this stop frees it and takes the wake.
        await writeParameter(target.pendingWakeParameterName, JSON.stringify(pendingWake(request)), region);
        return { result: 'deferred', group };
      }
      if (recordedPending) await deleteParameter(target.pendingWakeParameterName, region);
      // A host no session covered runs already: the claim now covers it, and its stop ends it.
      if (group.desiredCapacity >= 1) return { result: 'already-up' };
      await setDesiredCapacity(target.asgName, 1, region);
      return { result: 'started', session };
    }

    // A session is live: running, starting, or stopping.
    const group = await describeGroup(target.asgName, region);
    const condition = groupCondition(group);
    if (condition === 'missing' || !group) return { result: 'missing' };
    if (condition === 'up') return { result: 'already-up' };
    if (condition === 'stopped' && isStaleSession(await readSession(target, region), group, request.now.getTime())) {
      await deleteParameter(target.sessionParameterName, region);
      continue;
    }
    if (condition === 'stopped') return { result: 'already-up' }; // a start claimed a moment ago and is raising the group
    await writeParameter(target.pendingWakeParameterName, JSON.stringify(pendingWake(request)), region);
    recordedPending = true;
    // The stop may have ended between the claim and the write, without seeing this wake.
    if (await sessionExists(target, region)) return { result: 'deferred', group };
  }
  return { result: 'already-up' };
}

/** The wake recorded during a stop, removed as it is taken; undefined when there is none. */
export async function takePendingWake(target: SessionTarget, region?: string): Promise<PendingWake | undefined> {
  const raw = await readParameter(target.pendingWakeParameterName, region);
  if (raw === undefined) return undefined;
  await deleteParameter(target.pendingWakeParameterName, region);
  const parsed = parseStored(PendingWakeSchema, raw);
  // An unreadable record still says someone asked: honour it without the lookup time.
  return parsed.ok ? parsed.value : { recordedAt: new Date(0).toISOString(), source: 'lookup' };
}

/**
 * The end of a stop, after its host has saved and its lifecycle action is
 * completed: frees the session and, when a wake came during the stop, starts
 * the game again (the caller announces it when the outcome is `started`).
 */
export async function endSession(target: SessionTarget, now: Date, region?: string): Promise<StartOutcome | undefined> {
  const wake = await readParameter(target.pendingWakeParameterName, region);
  await deleteParameter(target.sessionParameterName, region);
  if (wake === undefined) return undefined;
  const pending = await takePendingWake(target, region);
  if (!pending) return undefined; // a concurrent start took it
  return requestStart(
    target,
    { source: 'pending-wake', now, ...(pending.lookupAt ? { lookupAt: pending.lookupAt } : {}), ...(pending.query ? { query: pending.query } : {}) },
    region,
  );
}

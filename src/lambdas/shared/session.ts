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
  STALE_SESSION_MS,
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
  /**
   * An instance whose stop has just ended (its game has saved and its lifecycle
   * action is completed) though Auto Scaling may still list it as terminating
   * for a moment: it no longer holds the world. Set by `endSession`.
   */
  readonly savedInstanceId?: string;
}

export type StartOutcome =
  /** This request started the game: the caller announces "starting". */
  | { readonly result: 'started'; readonly session: Session }
  /** The game runs or another request is starting it: nothing to do, nothing to announce. */
  | { readonly result: 'already-up' }
  /** The game is still stopping: the wake is recorded and the end of the stop starts the game. */
  | { readonly result: 'deferred'; readonly group: GroupSnapshot }
  | { readonly result: 'missing' };

/** Only the session parameter's name is needed (the watchdog reads the session without the rest). */
export async function readSession(target: Pick<SessionTarget, 'sessionParameterName'>, region?: string): Promise<Session | undefined> {
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
 * Thrown when a start failed after claiming the session and the claim could
 * not be released either: until it is stale (STALE_SESSION_MS) every request
 * takes it for a start in progress. `cause` is the error that failed the start.
 */
export class ClaimNotReleasedError extends Error {
  constructor(target: SessionTarget, cause: unknown, releaseError: unknown) {
    super(
      `starting ${target.id} failed (${describe(cause)}) after claiming ${target.sessionParameterName}, and the claim could not ` +
        `be released (${describe(releaseError)}); a wake after ${STALE_SESSION_MS / 60_000} minutes clears it`,
      { cause },
    );
    // Set explicitly: a minified bundle renames the class, and Lambda reports `name` as the error type.
    this.name = 'ClaimNotReleasedError';
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Runs the rest of a start that claimed the session. When it fails half-way
 * (throttled, timed out), the claim is released before the error is thrown:
 * a claim left behind by a start that never raised the group would make every
 * retry of the same wake answer "already up" (a lost start).
 */
async function withClaim(target: SessionTarget, region: string | undefined, rest: () => Promise<StartOutcome>): Promise<StartOutcome> {
  try {
    return await rest();
  } catch (e) {
    try {
      await deleteParameter(target.sessionParameterName, region);
    } catch (releaseError) {
      throw new ClaimNotReleasedError(target, e, releaseError);
    }
    throw e;
  }
}

/** The group without the instance whose stop has ended. */
function withoutSaved(group: GroupSnapshot, savedInstanceId: string | undefined): GroupSnapshot {
  return savedInstanceId === undefined ? group : { ...group, instances: group.instances.filter((i) => i.instanceId !== savedInstanceId) };
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
      return withClaim(target, region, async (): Promise<StartOutcome> => {
        // The previous session has ended, so its host has saved; the group is checked anyway
        // for hosts that no session covered (started by hand, or before sessions existed).
        const group = await describeGroup(target.asgName, region);
        if (!group) {
          await deleteParameter(target.sessionParameterName, region);
          return { result: 'missing' };
        }
        // No session was live, so no host is on its way back to the warm pool (its stop keeps the session
        // until it has saved): a pool instance in its lifecycle action is one being prepared, which runs no game.
        if (group.desiredCapacity === 0 && worldHeld(withoutSaved({ ...group, warmPool: undefined }, request.savedInstanceId))) {
          // Keep the claim: the end of this stop frees it and takes the wake.
          await writeParameter(target.pendingWakeParameterName, JSON.stringify(pendingWake(request)), region);
          return { result: 'deferred', group };
        }
        if (recordedPending) await deleteParameter(target.pendingWakeParameterName, region);
        // A host no session covered runs already: the claim now covers it, and its stop ends it.
        if (group.desiredCapacity >= 1) return { result: 'already-up' };
        await setDesiredCapacity(target.asgName, 1, region);
        return { result: 'started', session };
      });
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

/** A stored pending wake; an unreadable record still says someone asked: honoured without the lookup time. */
function pendingWakeOf(raw: string): PendingWake {
  const parsed = parseStored(PendingWakeSchema, raw);
  return parsed.ok ? parsed.value : { recordedAt: new Date(0).toISOString(), source: 'lookup' };
}

/**
 * The end of a stop, after its host has saved and its lifecycle action is
 * completed: frees the session and, when a wake came during the stop, starts
 * the game again (the caller announces it when the outcome is `started`).
 * `savedInstanceId`: the host whose stop this is; it no longer holds the
 * world even while Auto Scaling still lists it as terminating.
 */
export async function endSession(target: SessionTarget, now: Date, region?: string, savedInstanceId?: string): Promise<StartOutcome | undefined> {
  const wake = await readParameter(target.pendingWakeParameterName, region);
  await deleteParameter(target.sessionParameterName, region);
  if (wake === undefined) return undefined;
  // Taken as read: a concurrent start that takes it too is harmless, the session claim lets one of them start.
  await deleteParameter(target.pendingWakeParameterName, region);
  const pending = pendingWakeOf(wake);
  try {
    return await requestStart(
      target,
      {
        source: 'pending-wake',
        now,
        ...(pending.lookupAt ? { lookupAt: pending.lookupAt } : {}),
        ...(pending.query ? { query: pending.query } : {}),
        ...(savedInstanceId ? { savedInstanceId } : {}),
      },
      region,
    );
  } catch (e) {
    // The start failed half-way (throttled, timed out) and has released its claim: the wake goes
    // back, so the caller's retry of this end of the stop starts the game. Taken and dropped, it would be lost.
    try {
      await writeParameter(target.pendingWakeParameterName, JSON.stringify(pending), region);
    } catch (restoreError) {
      throw new Error(
        `starting ${target.id} for the wake recorded during its stop failed (${describe(e)}), and the wake could not be put back ` +
          `in ${target.pendingWakeParameterName} (${describe(restoreError)}); it is lost: look the name up again`,
        { cause: e },
      );
    }
    throw e;
  }
}

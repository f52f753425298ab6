/**
 * Whether a handled batch goes back to Lambda for another attempt. CloudWatch
 * Logs invokes the waker asynchronously, so a thrown error makes Lambda
 * deliver the same batch again (twice by default: about one and three minutes
 * after the first attempt). Repeating a batch is harmless: a game woken in an
 * earlier attempt is at desired 1 by then and is left alone.
 */
import type { GameOutcome } from './wake';

type Deferred = Extract<GameOutcome, { result: 'terminating' }>;
type Failed = Extract<GameOutcome, { result: 'failed' }>;

/**
 * Thrown when a game could not be woken only because its previous host is
 * still stopping (saving the world takes up to about 150 s). Not a fault:
 * the retry of this batch wakes the game once the old instance is gone.
 */
export class WakeDeferredError extends Error {
  /** Ids of the games whose wake waits for the retry. */
  readonly games: readonly string[];

  constructor(deferred: readonly Deferred[]) {
    super(
      `wake of ${deferred.map(describeDeferred).join('; ')} deferred: the previous host is still stopping and ` +
        'a new one must not mount the world before it is saved. Lambda retries this batch in about a minute; ' +
        'the game is woken then, once the old instance is gone',
    );
    // Set explicitly: a minified bundle renames the class, and Lambda reports `name` as the error type.
    this.name = 'WakeDeferredError';
    this.games = deferred.map((d) => d.gameId);
  }
}

/**
 * The error that hands the batch back to Lambda, or undefined when the batch
 * is done. Failures (throttling, unexpected errors) take precedence and keep
 * their message; deferred games are named in it too, since the same retry
 * serves them.
 */
export function batchRetryError(outcomes: readonly GameOutcome[]): Error | undefined {
  const failed = outcomes.filter((o): o is Failed => o.result === 'failed');
  const deferred = outcomes.filter((o): o is Deferred => o.result === 'terminating');
  if (failed.length > 0) {
    const alsoDeferred =
      deferred.length > 0 ? `; the retry also wakes ${deferred.map(describeDeferred).join('; ')}, deferred while its previous host stops` : '';
    return new Error(
      `could not wake ${failed.map((f) => `${f.gameId} (${f.error.name}: ${f.error.message})`).join('; ')}; ` +
        `the batch will be retried, and repeating the scale call is harmless${alsoDeferred}`,
    );
  }
  if (deferred.length > 0) return new WakeDeferredError(deferred);
  return undefined;
}

/** `minecraft (i-0abc Terminating:Wait)`: which instance the wake waits for. */
function describeDeferred(outcome: Deferred): string {
  const blocking = outcome.blocking.map((i) => `${i.instanceId} ${i.lifecycleState}`).join(', ');
  return blocking === '' ? outcome.gameId : `${outcome.gameId} (${blocking})`;
}

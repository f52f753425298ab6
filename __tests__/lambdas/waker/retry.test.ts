import type { GameMatch } from '../../../src/lambdas/waker/logic';
import { WakeDeferredError, batchRetryError } from '../../../src/lambdas/waker/retry';
import type { GameOutcome } from '../../../src/lambdas/waker/wake';
import { MINECRAFT, VALHEIM, queryLine } from './fixtures';
import { parseQueryLogLine } from '../../../src/lambdas/waker/logic';

const matchOf = (target: typeof MINECRAFT): GameMatch => ({ target, first: parseQueryLogLine(queryLine(target.names[0]!, 'A'))!, count: 1 });
const mc = matchOf(MINECRAFT);
const vh = matchOf(VALHEIM);

const woken: GameOutcome = { gameId: 'valheim', result: 'woken', match: vh };
const deferred = (gameId: string, match: GameMatch, ...states: string[]): GameOutcome => ({
  gameId,
  result: 'terminating',
  match,
  blocking: states.map((lifecycleState, i) => ({ instanceId: `i-${gameId}${i}`, lifecycleState })),
});

describe('batchRetryError', () => {
  it('is undefined when every game is done, whatever its result', () => {
    expect(batchRetryError([])).toBeUndefined();
    expect(
      batchRetryError([
        woken,
        { gameId: 'minecraft', result: 'already-up', match: mc },
        { gameId: 'other', result: 'missing', match: mc },
      ]),
    ).toBeUndefined();
  });

  it('is a WakeDeferredError naming every deferred game and the instance it waits for', () => {
    const error = batchRetryError([woken, deferred('minecraft', mc, 'Terminating:Wait'), deferred('valheim', vh, 'InService')]);

    expect(error).toBeInstanceOf(WakeDeferredError);
    expect(error).toMatchObject({ name: 'WakeDeferredError', games: ['minecraft', 'valheim'] });
    expect(error?.message).toMatch(/^wake of minecraft \(i-minecraft0 Terminating:Wait\); valheim \(i-valheim0 InService\) deferred/);
    expect(error?.message).toContain('Lambda retries this batch');
  });

  it('names a deferred game without instances by its id alone', () => {
    expect(batchRetryError([deferred('minecraft', mc)])?.message).toMatch(/^wake of minecraft deferred/);
  });

  it('keeps the failure error when a game failed, and mentions the deferred ones', () => {
    const failed: GameOutcome = {
      gameId: 'minecraft',
      result: 'failed',
      match: mc,
      error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    };

    const onlyFailed = batchRetryError([failed, woken]);
    expect(onlyFailed).not.toBeInstanceOf(WakeDeferredError);
    expect(onlyFailed?.message).toBe(
      'could not wake minecraft (ThrottlingException: Rate exceeded); the batch will be retried, and repeating the scale call is harmless',
    );

    const both = batchRetryError([failed, deferred('valheim', vh, 'Terminating')]);
    expect(both).not.toBeInstanceOf(WakeDeferredError);
    expect(both?.message).toMatch(/^could not wake minecraft \(ThrottlingException: Rate exceeded\);.*also wakes valheim \(i-valheim0 Terminating\)/);
  });
});

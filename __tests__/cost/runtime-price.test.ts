import * as v from 'valibot';
import { runtimeGame, runtimeUsdPerHour } from '../../src/constructs/game/runtime-game';
import { runningHourCost } from '../../src/cost/running-hour';
import { gameResourceNames } from '../../src/runtime/names';
import { gameView, RuntimeGameSchema } from '../../src/runtime/game';
import { testGame } from '../support/game';

const GAME = testGame().config;
const NAMES = gameResourceNames('gm', GAME.id);

describe('the running-hour price the functions are told at synth', () => {
  it('is the price table\'s running hour in the game\'s region, to a millionth of a dollar', () => {
    const cost = runningHourCost(GAME, 'eu-west-1');
    if (!cost.ok) throw new Error(cost.missing);
    const runtime = runtimeGame(GAME, NAMES, 'Z0123456789ABCDEFGHIJ', false, 'eu-west-1');
    expect(runtime.usdPerHour).toBe(Math.round(cost.usdPerHour * 1e6) / 1e6);
    expect(Math.abs(runtime.usdPerHour! - cost.usdPerHour)).toBeLessThan(1e-6);
    expect(v.safeParse(RuntimeGameSchema, runtime).success).toBe(true);
  });

  it('reaches the instance hook (which sends the stopped notice) and no other function', () => {
    const runtime = runtimeGame(GAME, NAMES, 'Z0123456789ABCDEFGHIJ', false, 'eu-west-1');
    expect(gameView('instance-hook', runtime).usdPerHour).toBe(runtime.usdPerHour);
    expect('usdPerHour' in gameView('watchdog', runtime)).toBe(false);
    expect('usdPerHour' in gameView('failsafe', runtime)).toBe(false);
  });

  it('is absent when the table has no price for the region, or no region is given', () => {
    expect(runtimeUsdPerHour(GAME, 'me-central-1')).toBeUndefined();
    expect(runtimeUsdPerHour(GAME, undefined)).toBeUndefined();
    const runtime = runtimeGame(GAME, NAMES, 'Z0123456789ABCDEFGHIJ', false, 'me-central-1');
    expect('usdPerHour' in runtime).toBe(false);
    expect('usdPerHour' in gameView('instance-hook', runtime)).toBe(false);
    expect(v.safeParse(RuntimeGameSchema, runtime).success).toBe(true);
  });
});

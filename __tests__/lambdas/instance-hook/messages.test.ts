import { RuntimeGameSchema, gameViewSchema } from '../../../src/runtime/game';
import { sessionCost, stoppedNotice } from '../../../src/lambdas/instance-hook/messages';
import * as v from 'valibot';

const TWO_H_TEN = 130 * 60_000;

describe('stopped notice', () => {
  it('says how long the game ran and what that cost at list price', () => {
    // 2 h 10 min at $0.05 an hour is $0.108…, shown to the cent.
    expect(stoppedNotice('mc.example.com', TWO_H_TEN, 0.05)).toEqual({
      subject: 'mc.example.com stopped',
      message: 'stopped mc.example.com after 2 h 10 min, about $0.11 at list price',
    });
  });

  it('says only how long it ran when the price is unknown, and nothing more without an uptime', () => {
    expect(stoppedNotice('mc.example.com', TWO_H_TEN).message).toBe('stopped mc.example.com after 2 h 10 min');
    expect(stoppedNotice('mc.example.com', undefined, 0.05).message).toBe('stopped mc.example.com');
  });

  it('says "less than $0.01" rather than $0.00 for a short session', () => {
    expect(sessionCost(5 * 60_000, 0.05)).toBe('less than $0.01');
    expect(stoppedNotice('mc.example.com', 5 * 60_000, 0.05).message).toBe('stopped mc.example.com after 5 min, less than $0.01 at list price');
    expect(sessionCost(10 * 3_600_000, 0.0454)).toBe('about $0.45');
  });

  it('is quoted from the usdPerHour the instance hook receives in its part of the runtime game', () => {
    expect(v.safeParse(gameViewSchema('instance-hook'), {}).success).toBe(false);
    const entries = Object.keys(gameViewSchema('instance-hook').entries);
    expect(entries).toContain('usdPerHour');
    // Optional: a game without a price still parses.
    expect(RuntimeGameSchema.entries.usdPerHour.type).toBe('optional');
    expect(v.safeParse(RuntimeGameSchema.entries.usdPerHour, -1).success).toBe(false);
    expect(v.safeParse(RuntimeGameSchema.entries.usdPerHour, undefined).success).toBe(true);
  });
});

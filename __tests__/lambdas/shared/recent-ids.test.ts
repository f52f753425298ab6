import { RecentIds } from '../../../src/lambdas/shared/recent-ids';

describe('RecentIds', () => {
  it('remembers what was added', () => {
    const ids = new RecentIds(3);
    ids.add('a');
    expect(ids.has('a')).toBe(true);
    expect(ids.has('b')).toBe(false);
  });

  it('forgets the oldest past its bound, and a re-added id counts as new', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('b');
    ids.add('a');
    ids.add('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([true, false, true]);
  });
});

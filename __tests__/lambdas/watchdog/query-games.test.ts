/**
 * The query probe's table of game ids is gamedig's own list, cut to the
 * protocols the watchdog speaks: a gamedig upgrade that adds, renames or
 * moves a game fails here, not in a player's evening.
 */
import { games } from 'gamedig';
import { OLD_GAME_IDS, QUERY_GAMES, queryProtocolOf } from '../../../src/runtime/query-games';

const SPOKEN = new Set(['minecraft', 'valve']);

describe('the query probe\'s games', () => {
  it('are exactly gamedig\'s games of the Minecraft and Steam (valve) protocols', () => {
    const expected = Object.entries(games)
      .filter(([, game]) => SPOKEN.has(game.options.protocol))
      .map(([id, game]) => [id, game.options.protocol])
      .sort();

    expect([...QUERY_GAMES].sort()).toEqual(expected);
    expect(QUERY_GAMES.get('minecraft')).toBe('minecraft');
    expect(QUERY_GAMES.get('valheim')).toBe('valve');
  });

  it('accept gamedig\'s old ids of those games', () => {
    const expected = Object.fromEntries(Object.entries(games)
      .filter(([, game]) => SPOKEN.has(game.options.protocol) && game.extra?.old_id)
      .map(([id, game]) => [game.extra!.old_id!, id]));

    expect(OLD_GAME_IDS).toEqual(expected);
    expect(queryProtocolOf('minecraftbe')).toBe('minecraft');
    expect(queryProtocolOf('cs2')).toBe('valve');
  });

  it('leave out games of other protocols, which the connections probe watches', () => {
    expect(queryProtocolOf('palworld')).toBeUndefined();
    expect(queryProtocolOf('factorio')).toBeUndefined();
    expect(queryProtocolOf('no-such-game')).toBeUndefined();
  });
});

/**
 * Loader faults the property suite found (__tests__/property): each problem
 * is printed once, in plain words, at a path the user can see.
 */
import { ConfigError, formatPath } from '../../src/config/config-error';
import { parseConfigText } from '../../src/config/load';
import { problems, VALID } from './support';

const GAME = VALID;


/** The valid game with extra lines under games.mc. */
const withGame = (lines: string) => `${GAME}${lines.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

const ZOD_WORDS = /\b(Too big|Too small|Invalid input)\b|expected (record|string|number|boolean|object|array)\b(?!s)|, received \w+/;

describe('problem wording', () => {
  it('reports only the type of a query probe port that is a mapping, not "[object Object]"', () => {
    expect(problems(withGame('watchdog: { probe: { type: query, port: { a: 1 } } }'))).toEqual([
      'games.mc.watchdog.probe.port: found {"a":1}; expected a port number from 1 to 65535',
    ]);
  });

  it.each([
    ['watchdog: { idleMinutes: 1e308 }', 'games.mc.watchdog.idleMinutes'],
    ['watchdog: { idleMinutes: 1441.5 }', 'games.mc.watchdog.idleMinutes'],
    ['rootVolumeGiB: 1e308', 'games.mc.rootVolumeGiB'],
  ])('prints %s once', (line, path) => {
    const found = problems(withGame(line));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: found `));
  });

  it('prints a wrong image once', () => {
    const text = GAME.replace('image: itzg/minecraft-server', 'image: []');
    expect(problems(text)).toEqual(['games.mc.image: found []; expected a container image such as "itzg/minecraft-server:java21"']);
    expect(problems(GAME.replace('image: itzg/minecraft-server', 'image: ""'))).toHaveLength(1);
  });

  it('quotes a blank top-level key so the user sees it', () => {
    const found = problems(`${GAME}" ": 1\n`);
    expect(found).toEqual([expect.stringMatching(/^" ": unknown key/)]);
  });

  it('quotes and escapes a key with a line break, keeping the path on one line', () => {
    const found = problems(withGame('environment: { "a\\nb": x }'));
    expect(found).toEqual([expect.stringMatching(/^games\.mc\.environment\["a\\nb"\]: found the key "a\\nb"; expected an environment variable name/)]);
    expect(found[0]).not.toMatch(/[\r\n]/);
  });

  it('prints ordinary keys plainly and odd ones quoted', () => {
    expect(formatPath(['games', 'mc-1', 'ports', 0, 'port'])).toBe('games.mc-1.ports[0].port');
    expect(formatPath(['tags', 'aws:created'])).toBe('tags.aws:created');
    expect(formatPath(['games', 'a b'])).toBe('games["a b"]');
    expect(formatPath(['games', 'a.b'])).toBe('games["a.b"]');
    expect(formatPath(['games', ''])).toBe('games[""]');
    expect(formatPath([' '])).toBe('" "');
    expect(formatPath([])).toBe('(top level)');
  });

  it.each([
    ['hostname: 5', 'games.mc.hostname: found 5; expected DNS labels below the domain'],
    ['spot: "yes"', 'games.mc.spot: found "yes"; expected true or false'],
    ['memoryMiB: "lots"', 'games.mc.memoryMiB: found "lots"; expected a whole number of MiB'],
    ['environment: [TZ]', 'games.mc.environment: found ["TZ"]; expected a mapping of variable names to values'],
    ['watchdog: { probe: { type: traffic, bytesPerMinute: "x" } }', 'games.mc.watchdog.probe.bytesPerMinute: found "x"; expected a whole number of bytes above 0'],
    ['egress: [{ port: 443, description: 5 }]', 'games.mc.egress[0].description: found 5; expected a description (text, at most 200 characters)'],
  ])('gives %s its own message for a wrong type', (line, message) => {
    const found = problems(withGame(line));
    expect(found).toEqual([expect.stringContaining(message)]);
    expect(found[0]).not.toMatch(ZOD_WORDS);
  });

  it('gives an instance type in a list its own message', () => {
    expect(problems(GAME.replace('instanceType: t4g.medium', 'instanceType: [t4g.medium]')))
      .toEqual(['games.mc.instanceType: found ["t4g.medium"]; expected an EC2 instance type such as "t4g.medium"']);
  });

  it('names a mapping of games given as a list or text in plain words', () => {
    const head = GAME.slice(0, GAME.indexOf('games:'));
    for (const games of ['games: [mc]', 'games: mc']) {
      const found = problems(`${head}${games}\n`);
      expect(found).toEqual([expect.stringMatching(/^games: found .*; expected a mapping of game ids to games/)]);
    }
    expect(problems(`${GAME}tags: [owner]\n`)).toEqual([expect.stringMatching(/^tags: found \["owner"\]; expected a mapping of tag keys to values/)]);
    expect(problems(`${GAME}network: { ipv6: 1 }\n`)).toEqual(['network.ipv6: found 1; expected true or false']);
  });

  it('says a value over a length limit in plain words', () => {
    const found = problems(withGame(`egress: [{ port: 443, description: ${'x'.repeat(240)} }]`));
    expect(found).toEqual(['games.mc.egress[0].description: found 240 characters; expected at most 200 characters']);
  });

  it('refuses a list used as a key at its line, printing nothing', () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const write = jest.spyOn(process.stderr, 'write');
    try {
      const found = problems(withGame('volumes:\n  ? - path: /data'));
      expect(found).toEqual([expect.stringMatching(/^line 11, column \d+: found a list or mapping used as a key/)]);
      expect(problems(`${GAME}? { a: 1 }\n: x\n`)).toEqual([expect.stringMatching(/^line 10, column 3: found a list or mapping used as a key/)]);
      expect(emit).not.toHaveBeenCalled();
      expect(write).not.toHaveBeenCalled();
    } finally {
      emit.mockRestore();
      write.mockRestore();
    }
  });
});

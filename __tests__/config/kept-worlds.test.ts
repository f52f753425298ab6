import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { checkKeptWorlds, guardKeptWorlds, lockPathFor } from '../../src/config/kept-worlds';
import { parseConfigText } from '../../src/config/load';

function config(games: Record<string, string>) {
  const body = Object.entries(games).map(([id, extra]) => `  ${id}:\n    image: x/y\n    instanceType: t3.small\n    ports: [{ port: 1 }]\n${extra ? `    ${extra}\n` : ''}`).join('');
  return parseConfigText(`region: eu-west-1\ndomain: { name: example.com }\nstate: { bucket: example-state }\ngames:\n${body}`, 't.yaml', {});
}

const ADOPT = 'existingFileSystemId: fs-0123456789abcdef0';

describe('kept worlds', () => {
  it('puts the lock file beside the configuration, named after it', () => {
    expect(lockPathFor('/repo/gamemanagement.yaml')).toBe('/repo/gamemanagement.worlds.lock.json');
    expect(lockPathFor('/repo/examples/valheim.yml')).toBe('/repo/examples/valheim.worlds.lock.json');
  });

  it('locks the worlds this configuration creates and keeps, not those let go or adopted', () => {
    const { released, next } = checkKeptWorlds(config({ mc: '', tmp: 'keepOnDestroy: false', old: ADOPT }), { keptWorlds: [] });
    expect(released).toEqual([]);
    expect(next.keptWorlds).toEqual(['mc']);
  });

  it('releases (never deletes) the world of a game that was dropped or renamed, and remembers it', () => {
    const { released, next } = checkKeptWorlds(config({ minecraft: '' }), { keptWorlds: ['mc'] });
    expect(released).toEqual([{ gameId: 'mc', gameRemoved: true }]);
    expect(next.keptWorlds).toEqual(['mc', 'minecraft']);
  });

  it('releases the created file system of a game that now adopts one, keeping the game\'s other resources', () => {
    const { released, next } = checkKeptWorlds(config({ mc: ADOPT }), { keptWorlds: ['mc'] });
    expect(released).toEqual([{ gameId: 'mc', gameRemoved: false }]);
    expect(next.keptWorlds).toEqual(['mc']);
  });

  it('lets a world go once the game says keepOnDestroy: false', () => {
    const { released, next } = checkKeptWorlds(config({ mc: 'keepOnDestroy: false' }), { keptWorlds: ['mc'] });
    expect(released).toEqual([]);
    expect(next.keptWorlds).toEqual([]);
  });

  it('writes the lock on synth and keeps a dropped game in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-lock-'));
    const file = join(dir, 'gamemanagement.yaml');
    expect(guardKeptWorlds(file, config({ mc: '' }))).toEqual([]);
    const lock = join(dir, 'gamemanagement.worlds.lock.json');
    expect(JSON.parse(readFileSync(lock, 'utf8')).keptWorlds).toEqual(['mc']);
    expect(guardKeptWorlds(file, config({ other: '' }))).toEqual([{ gameId: 'mc', gameRemoved: true }]);
    expect(JSON.parse(readFileSync(lock, 'utf8')).keptWorlds).toEqual(['mc', 'other']);
  });

  it('rejects a damaged lock file instead of forgetting what it protected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-lock-'));
    writeFileSync(join(dir, 'g.worlds.lock.json'), '{"keptWorlds": "mc"}');
    let error: unknown;
    try {
      guardKeptWorlds(join(dir, 'g.yaml'), config({ mc: '' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).format()).toContain('keptWorlds: missing or not a list; expected {"keptWorlds": ["<game id>", …]}; restore it from version control');
    expect(existsSync(join(dir, 'g.worlds.lock.json'))).toBe(true);
  });

  /** What guardKeptWorlds says about a lock file with this text: the problems, or "accepted". */
  function lockProblems(text: string): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'gm-lock-'));
    writeFileSync(join(dir, 'g.worlds.lock.json'), text);
    try {
      guardKeptWorlds(join(dir, 'g.yaml'), config({ mc: '' }));
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
      throw e;
    }
    return ['accepted'];
  }

  it.each([
    ['truncated JSON', '{"keptWorlds": ["mc"', /^\(file\): found no valid JSON \(.+\); expected \{"keptWorlds"/],
    ['an empty file', '', /^\(file\): found no valid JSON/],
    ['null', 'null', /^keptWorlds: missing or not a list/],
    ['a list at the top', '["mc"]', /^keptWorlds: missing or not a list/],
  ])('rejects a corrupt lock file (%s) with a clean error, never a stack trace', (_what, text, expected) => {
    expect(lockProblems(text)).toEqual([expect.stringMatching(expected)]);
  });

  it.each([
    ['a path', '../../etc/passwd'],
    ['a Terraform template', '${path.cwd}'],
    ['__proto__', '__proto__'],
    ['upper case', 'MC'],
    ['a number', 42],
    ['a very long id', 'a'.repeat(40)],
  ])('rejects a lock file holding a hostile id (%s), naming its place', (_what, id) => {
    expect(lockProblems(JSON.stringify({ keptWorlds: ['mc', id] }))).toEqual([
      expect.stringMatching(/^keptWorlds\[1\]: found .+; expected a game id \(a lower-case letter/),
    ]);
  });

  it('accepts a lock with a game id listed twice, keeping it once', () => {
    expect(lockProblems(JSON.stringify({ keptWorlds: ['mc', 'mc', 'old'] }))).toEqual(['accepted']);
  });
});

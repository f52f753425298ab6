import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { checkKeptWorlds, guardKeptWorlds, lockPathFor } from '../../src/config/kept-worlds';
import { parseConfigText } from '../../src/config/load';

function config(games: Record<string, string>) {
  const body = Object.entries(games).map(([id, extra]) => `  ${id}:\n    image: x/y\n    instanceType: t3.small\n    ports: [{ port: 1 }]\n${extra ? `    ${extra}\n` : ''}`).join('');
  return parseConfigText(`region: eu-west-1\ndomain: { name: example.com }\nstate: { bucket: example-state }\ngames:\n${body}`, 't.yaml', {});
}

describe('kept worlds', () => {
  it('puts the lock file beside the configuration, named after it', () => {
    expect(lockPathFor('/repo/gamemanagement.yaml')).toBe('/repo/gamemanagement.worlds.lock.json');
    expect(lockPathFor('/repo/examples/valheim.yml')).toBe('/repo/examples/valheim.worlds.lock.json');
  });

  it('locks kept worlds, but not those the user let go or adopted from elsewhere', () => {
    const { problems, next } = checkKeptWorlds(config({ mc: '', tmp: 'keepOnDestroy: false', old: 'existingFileSystemId: fs-0123456789abcdef0' }), { keptWorlds: [] }, 'lock');
    expect(problems).toEqual([]);
    expect(next.keptWorlds).toEqual(['mc']);
  });

  it('refuses a configuration that drops or renames a game whose world is kept', () => {
    const { problems } = checkKeptWorlds(config({ minecraft: '' }), { keptWorlds: ['mc'] }, 'gamemanagement.worlds.lock.json');
    expect(problems).toEqual([{ path: 'games.mc', message: expect.stringContaining('missing, but its world is kept (gamemanagement.worlds.lock.json)') }]);
    expect(problems[0]!.message).toContain('keepOnDestroy: false');
  });

  it('lets a world go once the game says keepOnDestroy: false', () => {
    const { problems, next } = checkKeptWorlds(config({ mc: 'keepOnDestroy: false' }), { keptWorlds: ['mc'] }, 'lock');
    expect(problems).toEqual([]);
    expect(next.keptWorlds).toEqual([]);
  });

  it('writes the lock on a good synth and stops a bad one before anything is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-lock-'));
    const file = join(dir, 'gamemanagement.yaml');
    guardKeptWorlds(file, config({ mc: '' }));
    const lock = join(dir, 'gamemanagement.worlds.lock.json');
    expect(JSON.parse(readFileSync(lock, 'utf8')).keptWorlds).toEqual(['mc']);
    const before = readFileSync(lock, 'utf8');
    expect(() => guardKeptWorlds(file, config({ other: '' }))).toThrow(ConfigError);
    expect(readFileSync(lock, 'utf8')).toBe(before);
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
    expect((error as ConfigError).format()).toContain('(file): expected {"keptWorlds": ["<game id>", …]}; restore it from version control');
    expect(existsSync(join(dir, 'g.worlds.lock.json'))).toBe(true);
  });
});

/**
 * Terraform's `prevent_destroy` protects a file system only while its block is
 * in the configuration: delete a game from the YAML, rename it, or switch it
 * to `existingFileSystemId`, and the next deploy would delete its world
 * without a word. So synth remembers, in a lock file committed next to the
 * configuration, which games' worlds are kept. A kept world whose game no
 * longer creates it is *released*: the worlds stack gets a Terraform
 * `removed { lifecycle { destroy = false } }` block for it, so Terraform stops
 * managing the file system and leaves it — and its data and backups — in AWS.
 * A world leaves the lock only when the user says so: `keepOnDestroy: false`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from './config-error';
import type { Config } from './resolve';

export interface KeptWorldsLock {
  readonly keptWorlds: readonly string[];
}

/** A kept world its game no longer creates. */
export interface ReleasedWorld {
  readonly gameId: string;
  /** The game is gone altogether (not just adopting a file system): its backup policy goes too, and must be kept. */
  readonly gameRemoved: boolean;
}

/** `gamemanagement.yaml` → `gamemanagement.worlds.lock.json`, beside it. */
export function lockPathFor(configFile: string): string {
  return join(dirname(configFile), `${basename(configFile).replace(/\.ya?ml$/i, '')}.worlds.lock.json`);
}

/** Games whose file system this configuration creates and must never delete. */
function createdKeptWorlds(config: Config): string[] {
  return config.games.filter((g) => g.keepOnDestroy && !g.existingFileSystemId).map((g) => g.id);
}

export function checkKeptWorlds(config: Config, lock: KeptWorldsLock): { released: ReleasedWorld[]; next: KeptWorldsLock } {
  const games = new Map(config.games.map((g) => [g.id, g]));
  const released: ReleasedWorld[] = [];
  const keep = new Set(createdKeptWorlds(config));
  for (const id of lock.keptWorlds) {
    const game = games.get(id);
    if (!game) {
      released.push({ gameId: id, gameRemoved: true });
      keep.add(id);
    } else if (game.existingFileSystemId) {
      released.push({ gameId: id, gameRemoved: false });
      keep.add(id);
    }
    // A present game with keepOnDestroy: false has let its world go: it leaves the lock.
  }
  return { released: released.sort((a, b) => a.gameId.localeCompare(b.gameId)), next: { keptWorlds: [...keep].sort() } };
}

/** A game id as the configuration allows it: the lock names Terraform resources and `removed` blocks after it. */
const GAME_ID = /^[a-z][a-z0-9-]{0,30}$/;

export function readLock(path: string): KeptWorldsLock {
  if (!existsSync(path)) return { keptWorlds: [] };
  const damaged = 'expected {"keptWorlds": ["<game id>", …]}; restore it from version control';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(path, [{ path: '(file)', message: `found no valid JSON (${(e as Error).message}); ${damaged}` }]);
  }
  const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { keptWorlds?: unknown }).keptWorlds : undefined;
  if (!Array.isArray(list)) throw new ConfigError(path, [{ path: 'keptWorlds', message: `missing or not a list; ${damaged}` }]);
  const problems = list.flatMap((id, i) => (typeof id === 'string' && GAME_ID.test(id) ? [] : [{
    path: `keptWorlds[${i}]`,
    message: `found ${(JSON.stringify(id) ?? String(id)).slice(0, 60)}; expected a game id (a lower-case letter, then letters, digits or hyphens, at most 31); ${damaged}`,
  }]));
  if (problems.length > 0) throw new ConfigError(path, problems);
  return { keptWorlds: [...new Set(list as string[])] };
}

export function lockText(lock: KeptWorldsLock): string {
  return `${JSON.stringify({
    '//': 'Games whose worlds are kept. Written by synth; commit it. See README, "Destroy, and what happens to worlds".',
    keptWorlds: lock.keptWorlds,
  }, null, 2)}\n`;
}

/**
 * Reads the lock beside the configuration, updates it, and returns the worlds
 * to release from Terraform. Throws ConfigError (before anything is written)
 * when the lock is damaged.
 */
export function guardKeptWorlds(configFile: string, config: Config): ReleasedWorld[] {
  const path = lockPathFor(configFile);
  const { released, next } = checkKeptWorlds(config, readLock(path));
  const text = lockText(next);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  return released;
}

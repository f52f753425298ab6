/**
 * Terraform's `prevent_destroy` protects a file system only while its block is
 * in the configuration: delete or rename a game in the YAML and the next
 * deploy deletes its world without a word. So synth remembers, in a lock
 * file committed next to the configuration, which games' worlds are kept, and
 * refuses a configuration that drops one of them. A world leaves the lock
 * only when the user says so: `keepOnDestroy: false`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError, ConfigProblem } from './config-error';
import type { Config } from './resolve';

export interface KeptWorldsLock {
  readonly keptWorlds: readonly string[];
}

/** `gamemanagement.yaml` → `gamemanagement.worlds.lock.json`, beside it. */
export function lockPathFor(configFile: string): string {
  return join(dirname(configFile), `${basename(configFile).replace(/\.ya?ml$/i, '')}.worlds.lock.json`);
}

/** Games whose worlds Terraform must never delete: kept, and created by us (adopted file systems are never deleted anyway). */
export function keptWorlds(config: Config): string[] {
  return config.games.filter((g) => g.keepOnDestroy && !g.existingFileSystemId).map((g) => g.id).sort();
}

export function checkKeptWorlds(config: Config, lock: KeptWorldsLock, lockName: string): { problems: ConfigProblem[]; next: KeptWorldsLock } {
  const present = new Set(config.games.map((g) => g.id));
  const problems = lock.keptWorlds.filter((id) => !present.has(id)).map((id) => ({
    path: `games.${id}`,
    message: `missing, but its world is kept (${lockName}); put the game back (a renamed game keeps its old id), `
      + 'or — to delete its world for good — deploy it once with keepOnDestroy: false, then remove it',
  }));
  return { problems, next: { keptWorlds: keptWorlds(config) } };
}

function readLock(path: string): KeptWorldsLock {
  if (!existsSync(path)) return { keptWorlds: [] };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeptWorldsLock>;
    if (Array.isArray(parsed.keptWorlds) && parsed.keptWorlds.every((id) => typeof id === 'string')) return { keptWorlds: parsed.keptWorlds };
  } catch { /* reported below */ }
  throw new ConfigError(path, [{ path: '(file)', message: 'expected {"keptWorlds": ["<game id>", …]}; restore it from version control' }]);
}

export function lockText(lock: KeptWorldsLock): string {
  return `${JSON.stringify({
    '//': 'Games whose worlds are kept on destroy. Written by synth; commit it. See README, "Destroy, and what happens to worlds".',
    keptWorlds: lock.keptWorlds,
  }, null, 2)}\n`;
}

/** Checks the config against its lock file and updates the lock; throws ConfigError before anything is written. */
export function guardKeptWorlds(configFile: string, config: Config): void {
  const path = lockPathFor(configFile);
  const { problems, next } = checkKeptWorlds(config, readLock(path), basename(path));
  if (problems.length > 0) throw new ConfigError(configFile, problems);
  const text = lockText(next);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
}

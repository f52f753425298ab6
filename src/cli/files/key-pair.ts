/**
 * The short-lived key of one `gm files` run: made on this machine, its
 * private half written only readable by the user (ssh and FileZilla refuse
 * keys others can read) in a folder of its own, deleted when the run ends.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';

export interface TemporaryKey {
  /** The folder holding the key (and the tunnel's known_hosts). */
  readonly folder: string;
  readonly privateKeyFile: string;
  readonly privateKey: string;
  /** "ssh-ed25519 AAAA… <comment>", one authorized_keys line without options. */
  readonly publicKey: string;
  /** The comment that marks this key on the host, so it can be found and removed. */
  readonly comment: string;
  /** Deletes the folder; safe to call twice. */
  remove(): void;
}

/** Comments of gm's keys start with this; the host script removes expired ones by it. */
export const KEY_COMMENT_PREFIX = 'gm-files-';

export function createTemporaryKey(gameId: string, now: Date = new Date()): TemporaryKey {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const comment = `${KEY_COMMENT_PREFIX}${gameId}-${stamp}-${process.pid}`;
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  const folder = mkdtempSync(join(tmpdir(), `gm-files-${gameId}-`));
  const privateKeyFile = join(folder, 'id_ed25519');
  writeFileSync(privateKeyFile, pair.private, { mode: 0o600 });
  const [type, blob] = pair.public.trim().split(/\s+/);
  return {
    folder,
    privateKeyFile,
    privateKey: pair.private,
    publicKey: `${type} ${blob} ${comment}`,
    comment,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

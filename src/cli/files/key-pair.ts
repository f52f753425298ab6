/**
 * The short-lived key of one `gm files` run: made on this machine, its
 * private half written only readable by the user (ssh and FileZilla refuse
 * keys others can read) in a folder of its own, deleted when the run ends.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { folderStamp } from './world-folders';

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

/**
 * An ed25519 pair in OpenSSH format that OpenSSH and ssh2 both read.
 * ssh2's generator strips a public key's leading zero bytes, so about one
 * pair in 256 comes out malformed and the host would refuse the key
 * (mscdex/ssh2#1513, open in 1.17.0); such a pair is drawn again.
 */
export function generateEd25519KeyPair(comment?: string): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', comment === undefined ? {} : { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) {
      return pair;
    }
  }
}

/** `parent`: where the key's folder is made (the system's temporary folder unless a test gives its own). */
export function createTemporaryKey(gameId: string, now: Date = new Date(), parent: string = tmpdir()): TemporaryKey {
  const stamp = folderStamp(now);
  const comment = `${KEY_COMMENT_PREFIX}${gameId}-${stamp}-${process.pid}`;
  const pair = generateEd25519KeyPair(comment);
  const folder = mkdtempSync(join(parent, `gm-files-${gameId}-`));
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

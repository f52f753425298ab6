/**
 * The CLI's own SFTP client (ssh2) through the tunnel, with promises, for
 * `gm files --download/--upload`. The host key is not checked: the tunnel's
 * far end is the instance's port 22 as Session Manager reached it, which AWS
 * has already authenticated; the host has no key gm could know beforehand.
 */
import { Client, type Attributes, type SFTPWrapper, type TransferOptions } from 'ssh2';

const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export type EntryKind = 'directory' | 'file' | 'other';

export function kindOf(attrs: Pick<Attributes, 'mode'>): EntryKind {
  const type = attrs.mode & S_IFMT;
  return type === S_IFDIR ? 'directory' : type === S_IFREG ? 'file' : 'other';
}

export interface RemoteEntry {
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
}

/** One SFTP channel: the calls the copies use. */
export interface RemoteFiles {
  list(path: string): Promise<RemoteEntry[]>;
  /** The entry's kind, or undefined when nothing is there. */
  kind(path: string): Promise<EntryKind | undefined>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  removeDirectory(path: string): Promise<void>;
  download(remote: string, local: string, onBytes: (bytes: number) => void): Promise<void>;
  upload(local: string, remote: string, onBytes: (bytes: number) => void): Promise<void>;
  /** Closes the channel: a transfer under way fails at once (how Ctrl-C stops one mid-file). */
  close(): void;
}

const NO_SUCH_FILE = 2;

/**
 * A failure of the copy itself rather than of AWS or of gm: an SFTP status
 * from the host (ssh2 gives it as a numeric code), the SSH connection
 * dropping, or a local file error (a full disk).
 */
export function isTransferError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const fields = e as { code?: unknown; level?: unknown; syscall?: unknown };
  return typeof fields.code === 'number' || fields.level !== undefined || typeof fields.syscall === 'string' || /^(No response from server|Channel|Not connected)/i.test(e.message);
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function call<T>(run: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))));
}

function remoteFiles(sftp: SFTPWrapper): RemoteFiles {
  // Parallel requests per file, as ssh2's fast transfers do by default: a tunnel's round trips are slow.
  const transfer = (onBytes: (bytes: number) => void): TransferOptions => {
    let last = 0;
    return {
      step: (total) => {
        onBytes(total - last);
        last = total;
      },
    };
  };
  return {
    list: (path) => call<{ filename: string; attrs: Attributes }[]>((done) => sftp.readdir(path, done)).then((entries) =>
      entries.filter((e) => e.filename !== '.' && e.filename !== '..').map((e) => ({ name: e.filename, kind: kindOf(e.attrs), size: e.attrs.size }))),
    kind: (path) => call<Attributes>((done) => sftp.lstat(path, done)).then(kindOf, (e: { code?: number }) => {
      if (e.code === NO_SUCH_FILE) return undefined;
      throw e;
    }),
    mkdir: (path) => call<void>((done) => sftp.mkdir(path, done)),
    rename: (from, to) => call<void>((done) => sftp.rename(from, to, done)),
    removeFile: (path) => call<void>((done) => sftp.unlink(path, done)),
    removeDirectory: (path) => call<void>((done) => sftp.rmdir(path, done)),
    download: (remote, local, onBytes) => call<void>((done) => sftp.fastGet(remote, local, transfer(onBytes), done)),
    upload: (local, remote, onBytes) => call<void>((done) => sftp.fastPut(local, remote, transfer(onBytes), done)),
    close: () => sftp.end(),
  };
}

/**
 * The promise, or a rejection as soon as the signal aborts: a transfer whose
 * channel was closed under it does not always call back, and Ctrl-C must not
 * wait for it.
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('interrupted'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('interrupted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export interface SshConnection {
  /** Opens an SFTP channel (a new one after `close()` of an earlier one). */
  openFiles(): Promise<RemoteFiles>;
  end(): void;
}

export function connectSsh(options: { readonly port: number; readonly username: string; readonly privateKey: string }): Promise<SshConnection> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      client.removeListener('error', reject);
      // Later errors (the tunnel closing under us) surface as failed SFTP calls.
      client.on('error', () => undefined);
      resolve({
        openFiles: () => call<SFTPWrapper>((done) => client.sftp(done)).then(remoteFiles),
        end: () => client.end(),
      });
    });
    client.once('error', reject);
    client.connect({ host: '127.0.0.1', port: options.port, username: options.username, privateKey: options.privateKey, readyTimeout: 30_000 });
  });
}

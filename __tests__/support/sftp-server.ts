/**
 * A real SSH/SFTP server (ssh2's Server, in this process) standing in for the
 * game host's sshd at the far end of the tunnel. It serves a local folder as
 * the host's file system (the host's /mnt/gm-world/… is <root>/mnt/gm-world/…)
 * and lets in only the public keys a test authorizes, as sshd with
 * authorized_keys would, signature checked.
 */
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { Server, utils, type Attributes, type ParsedKey, type SFTPWrapper } from 'ssh2';
import { generateEd25519KeyPair } from '../../src/cli/files/key-pair';

const { STATUS_CODE, flagsToString } = utils.sftp;

export interface TestSftpServer {
  readonly port: number;
  /** Usernames and public keys that logged in, in order. */
  readonly logins: { username: string; key: string }[];
  /** Lets this public key (an authorized_keys line) in as `username`. */
  authorize(username: string, publicKeyLine: string): void;
  /** Called at every READ and WRITE request (a test may press Ctrl-C there). */
  onTransfer?: (kind: 'read' | 'write', path: string) => void;
  close(): Promise<void>;
}

function attrsOf(stats: Stats): Attributes {
  return { mode: stats.mode, uid: stats.uid, gid: stats.gid, size: stats.size, atime: Math.floor(stats.atimeMs / 1000), mtime: Math.floor(stats.mtimeMs / 1000) };
}

function statusFor(e: unknown): number {
  const code = (e as { code?: string }).code;
  return code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' || code === 'EPERM' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE;
}

function serveSftp(sftp: SFTPWrapper, root: string, server: TestSftpServer): void {
  const local = (path: string) => join(root, normalize(`/${path}`));
  const handles = new Map<number, { fd?: number; path: string; listing?: string[] }>();
  let next = 0;
  const handle = (entry: { fd?: number; path: string; listing?: string[] }) => {
    const id = next++;
    handles.set(id, entry);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const lookup = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
  const guard = (reqId: number, work: () => void) => {
    try {
      work();
    } catch (e) {
      sftp.status(reqId, statusFor(e));
    }
  };

  sftp.on('OPEN', (reqId, filename, flags) => guard(reqId, () => {
    const mode = flagsToString(flags) ?? 'r';
    sftp.handle(reqId, handle({ fd: openSync(local(filename), mode), path: filename }));
  }));
  sftp.on('READ', (reqId, buffer, offset, length) => guard(reqId, () => {
    const entry = lookup(buffer);
    if (entry?.fd === undefined) return void sftp.status(reqId, STATUS_CODE.FAILURE);
    server.onTransfer?.('read', entry.path);
    const data = Buffer.alloc(length);
    const read = readSync(entry.fd, data, 0, length, offset);
    if (read === 0) sftp.status(reqId, STATUS_CODE.EOF);
    else sftp.data(reqId, data.subarray(0, read));
  }));
  sftp.on('WRITE', (reqId, buffer, offset, data) => guard(reqId, () => {
    const entry = lookup(buffer);
    if (entry?.fd === undefined) return void sftp.status(reqId, STATUS_CODE.FAILURE);
    server.onTransfer?.('write', entry.path);
    writeSync(entry.fd, data, 0, data.length, offset);
    sftp.status(reqId, STATUS_CODE.OK);
  }));
  sftp.on('FSTAT', (reqId, buffer) => guard(reqId, () => {
    const entry = lookup(buffer);
    if (entry?.fd === undefined) return void sftp.status(reqId, STATUS_CODE.FAILURE);
    sftp.attrs(reqId, attrsOf(fstatSync(entry.fd)));
  }));
  sftp.on('FSETSTAT', (reqId) => sftp.status(reqId, STATUS_CODE.OK));
  sftp.on('SETSTAT', (reqId) => sftp.status(reqId, STATUS_CODE.OK));
  sftp.on('CLOSE', (reqId, buffer) => guard(reqId, () => {
    const entry = lookup(buffer);
    if (!entry) return void sftp.status(reqId, STATUS_CODE.FAILURE);
    if (entry.fd !== undefined) closeSync(entry.fd);
    handles.delete(buffer.readUInt32BE(0));
    sftp.status(reqId, STATUS_CODE.OK);
  }));
  sftp.on('OPENDIR', (reqId, path) => guard(reqId, () => {
    const listing = readdirSync(local(path));
    sftp.handle(reqId, handle({ path, listing }));
  }));
  sftp.on('READDIR', (reqId, buffer) => guard(reqId, () => {
    const entry = lookup(buffer);
    if (!entry?.listing) return void sftp.status(reqId, STATUS_CODE.FAILURE);
    if (entry.listing.length === 0) return void sftp.status(reqId, STATUS_CODE.EOF);
    const names = entry.listing.splice(0, entry.listing.length).map((filename) => {
      const stats = lstatSync(join(local(entry.path), filename));
      return { filename, longname: filename, attrs: attrsOf(stats) };
    });
    sftp.name(reqId, names);
  }));
  const stat = (reqId: number, path: string) => guard(reqId, () => sftp.attrs(reqId, attrsOf(lstatSync(local(path)))));
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('REALPATH', (reqId, path) => sftp.name(reqId, [{ filename: normalize(`/${path}`), longname: path, attrs: {} as Attributes }]));
  sftp.on('MKDIR', (reqId, path) => guard(reqId, () => {
    mkdirSync(local(path));
    sftp.status(reqId, STATUS_CODE.OK);
  }));
  sftp.on('RMDIR', (reqId, path) => guard(reqId, () => {
    rmdirSync(local(path));
    sftp.status(reqId, STATUS_CODE.OK);
  }));
  sftp.on('REMOVE', (reqId, path) => guard(reqId, () => {
    unlinkSync(local(path));
    sftp.status(reqId, STATUS_CODE.OK);
  }));
  sftp.on('RENAME', (reqId, from, to) => guard(reqId, () => {
    // OpenSSH's sftp-server refuses to rename onto an existing path; so does this one.
    try {
      lstatSync(local(to));
      return void sftp.status(reqId, STATUS_CODE.FAILURE);
    } catch {
      renameSync(local(from), local(to));
      sftp.status(reqId, STATUS_CODE.OK);
    }
  }));
}

/** Starts the server on a free port of 127.0.0.1, serving `root`. */
export function startSftpServer(root: string): Promise<TestSftpServer> {
  const authorized: { username: string; key: ParsedKey }[] = [];
  const hostKey = generateEd25519KeyPair().private;
  let api: TestSftpServer;
  const clients = new Set<{ end(): void }>();
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    let username = '';
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      username = ctx.username;
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const match = authorized.find((a) => a.username === ctx.username && a.key.type === ctx.key.algo && a.key.getPublicSSH().equals(ctx.key.data));
      if (!match) return ctx.reject(['publickey']);
      if (!ctx.signature) return ctx.accept();
      if (match.key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      api.logins.push({ username, key: ctx.key.data.toString('base64') });
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), root, api));
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      api = {
        port: (server.address() as AddressInfo).port,
        logins: [],
        authorize: (user, line) => {
          const parsed = utils.parseKey(line.trim().split(/\s+/).slice(-3).join(' '));
          if (parsed instanceof Error) throw parsed;
          authorized.push({ username: user, key: Array.isArray(parsed) ? parsed[0] : parsed });
        },
        close: () => new Promise((done) => {
          // Connections a test left open must not keep the server up.
          for (const client of clients) client.end();
          server.close(() => done());
        }),
      };
      resolve(api);
    });
  });
}

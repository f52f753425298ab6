/**
 * `gm files <game>`: the world's files without an open port. An SSM
 * port-forwarding tunnel reaches the host's SSH server, a key made for this
 * run (and expiring by itself on the host) lets the user in as ec2-user, who
 * owns the world folders. Either the tunnel stays open for the user's SFTP
 * client (sftp, FileZilla) until Ctrl-C, or gm itself copies the world with
 * --download / --upload. An upload is staged beside the world and goes in
 * place at the game's next start, as a restore does.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../../lambdas/shared/poll';
import { WORLD_MOUNT_PATH } from '../../runtime/world-paths';
import { EXIT_FAILED, EXIT_OK, gmCommandLine, UsageError, type Command } from '../command';
import { AWS_OPTIONS, AWS_OPTIONS_USAGE, findGame, loadDeployment, type GameTarget } from '../aws/deployment';
import { findGameHost, hostUnavailableReason } from '../aws/host';
import { changeAuthorizedKey, HOST_USER } from '../files/authorized-key';
import { downloadWorld } from '../files/download';
import { runningGameTasks } from '../files/game-running';
import { createTemporaryKey, type TemporaryKey } from '../files/key-pair';
import { connectSsh, isTransferError, messageOf, type SshConnection } from '../files/sftp-session';
import { freeLocalPort, openTunnel, SSH_PORT } from '../files/tunnel';
import { removeStaging, stagingPath, uploadWorld } from '../files/upload';
import { pendingRefusalLines, pendingSwap, requestUploadSwap, runningRefusalLines, uploadedLines, uploadFailedLine, type UploadSwap } from '../files/upload-swap';
import { localFolder, worldFolders, type WorldFolder } from '../files/world-folders';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import { currentMachine, pluginMissingLines, type MachineInfo } from '../session-manager/install-help';
import { findPlugin } from '../session-manager/plugin';
import type { PluginSession } from '../session-manager/session';
import { keepFolder, uploadFolder } from '../restore/swap-request';

/** How long the key lets new connections in; connections made before keep working. */
export const KEY_MINUTES = 30;

export interface FilesDependencies {
  /** Environment of the run: PATH to find the plugin, GM_CONFIG, credentials. */
  readonly env: NodeJS.ProcessEnv;
  readonly machine: () => MachineInfo;
  readonly clock?: Clock;
  readonly now: () => Date;
  /** Where the run's key folder is made; the system's temporary folder by default. */
  readonly keyParent?: string;
}

const defaults = (): FilesDependencies => ({ env: process.env, machine: currentMachine, now: () => new Date() });

const USAGE = `usage: gm files <game> [--download <dir> | --upload <dir> [--force]] [--profile <name>] [--region <name>]
Reaches the world's files on the game's host with no open port: a Session
Manager tunnel to the host's SSH server and a key made for this run.
  (no option)       keep the tunnel open for your SFTP client (sftp, FileZilla, WinSCP)
                    and print its settings; Ctrl-C closes it and deletes the key
  --download <dir>  copy the world into <dir> (new or empty; one subfolder per
                    volume when the game has several)
  --upload <dir>    replace the world with the files in <dir> (one subfolder per
                    volume when the game has several): copied to
                    ${WORLD_MOUNT_PATH}/upload-<time> on the host, it goes in place at the
                    game's next start, and the current world is kept in
                    ${WORLD_MOUNT_PATH}/before-upload-<time>/volumes
                    (\`gm restore <game> --undo\` cancels it before that start)
  --force           upload even though the game runs (what is played until its
                    next start is set aside with the current world), or replace
                    a restore or upload still waiting for the next start
The world is at ${WORLD_MOUNT_PATH}/volumes/<volume> on the host, owned by ec2-user.
Needs the Session Manager plugin (session-manager-plugin) on PATH.
${AWS_OPTIONS_USAGE}`;

type Mode = { readonly kind: 'tunnel' } | { readonly kind: 'download'; readonly dir: string } | { readonly kind: 'upload'; readonly dir: string; readonly force: boolean };

function parseFilesArgs(args: readonly string[]) {
  const { values, positionals } = parseOptions(args, { ...AWS_OPTIONS, download: { type: 'string' }, upload: { type: 'string' }, force: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (values.download !== undefined && values.upload !== undefined) throw new UsageError('--download and --upload cannot go together');
  if (values.force && values.upload === undefined) throw new UsageError('--force only goes with --upload');
  const mode: Mode = values.download !== undefined
    ? { kind: 'download', dir: resolve(values.download) }
    : values.upload !== undefined ? { kind: 'upload', dir: resolve(values.upload), force: values.force === true } : { kind: 'tunnel' };
  return { values, game: positionals[0], mode };
}

/** What is wrong with the local folder for this copy, before anything on AWS is touched. */
function localFolderProblem(mode: Mode, folders: readonly WorldFolder[]): string | undefined {
  if (mode.kind === 'download') {
    if (existsSync(mode.dir) && (!statSync(mode.dir).isDirectory() || readdirSync(mode.dir).length > 0)) {
      return `${mode.dir} is not an empty folder: name a new or empty one, so the world is not mixed with other files`;
    }
  }
  if (mode.kind === 'upload') {
    const missing = folders.map((f) => localFolder(mode.dir, f, folders)).filter((dir) => !existsSync(dir) || !statSync(dir).isDirectory());
    if (missing.length > 0) {
      return folders.length === 1
        ? `${mode.dir} is not a folder: name the folder that holds the world to upload`
        : `the game has ${folders.length} world folders (${folders.map((f) => f.name).join(', ')}); ${mode.dir} must hold one subfolder for each, missing: ${missing.join(', ')}`;
    }
  }
  return undefined;
}

function tunnelLines(target: GameTarget, instanceId: string, port: number, key: TemporaryKey, folders: readonly WorldFolder[], until: Date): string[] {
  const knownHosts = join(key.folder, 'known_hosts');
  return [
    `Tunnel to ${target.game.id}'s host ${instanceId} is open. Connect with SFTP:`,
    '  host      127.0.0.1',
    `  port      ${port}`,
    `  user      ${HOST_USER}`,
    `  key file  ${key.privateKeyFile}`,
    ...folders.map((f) => `  world     ${f.hostPath}  (the game's ${f.containerPath})`),
    `  sftp -i ${key.privateKeyFile} -P ${port} -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=accept-new ${HOST_USER}@127.0.0.1`,
    `  FileZilla: File > Site Manager > New site: Protocol SFTP, Host 127.0.0.1, Port ${port}, Logon Type "Key file", User ${HOST_USER}, Key file ${key.privateKeyFile}`,
    `The key lets new connections in until ${until.toISOString().slice(11, 16)} UTC (${KEY_MINUTES} minutes); run the command again for a new one.`,
    'Files you change while the game runs may be overwritten when it next saves.',
    'Press Ctrl-C to close the tunnel and delete the key.',
  ];
}

function untilInterruptedOrEnded(signal: AbortSignal, session: PluginSession): Promise<'interrupted' | 'ended'> {
  if (signal.aborted) return Promise.resolve('interrupted');
  return new Promise((resolveWait) => {
    const onAbort = () => resolveWait('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    void session.exited.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolveWait('ended');
    });
  });
}

export async function runFiles(args: readonly string[], io: CliIo, deps: FilesDependencies = defaults()): Promise<number> {
  const { values, game, mode } = parseFilesArgs(args);
  const target = findGame(loadDeployment(values, deps.env), game);
  const id = target.game.id;
  const folders = worldFolders(target.game.volumes);
  if (folders.length === 0) {
    io.err(`gm files: ${id} keeps no files on its world (no volumes in ${target.deployment.file}): there is nothing to copy`);
    return EXIT_FAILED;
  }
  const localProblem = localFolderProblem(mode, folders);
  if (localProblem) {
    io.err(`gm files: ${localProblem}`);
    return EXIT_FAILED;
  }
  const signal = io.interrupted;

  const host = await findGameHost(target);
  const unavailable = hostUnavailableReason(target, host);
  if (unavailable !== undefined || host.state !== 'running') {
    io.err(`gm files: ${unavailable}`);
    return EXIT_FAILED;
  }
  const instanceId = host.instanceId;

  let running = 0;
  let pending: string | undefined;
  if (mode.kind === 'upload') {
    running = await runningGameTasks(target);
    if (running > 0 && !mode.force) {
      for (const line of runningRefusalLines(id)) io.err(line);
      return EXIT_FAILED;
    }
    pending = await pendingSwap(target);
    if (pending !== undefined && !mode.force) {
      for (const line of pendingRefusalLines(id, pending)) io.err(line);
      return EXIT_FAILED;
    }
  }

  const plugin = findPlugin(deps.env);
  if (!plugin) {
    const lines = pluginMissingLines(deps.machine(), { instanceId, region: target.region, profile: deps.env.AWS_PROFILE, portForwarding: { remotePort: SSH_PORT, localPort: await freeLocalPort() } });
    for (const line of lines) io.err(line);
    return EXIT_FAILED;
  }

  const key = createTemporaryKey(id, deps.now(), deps.keyParent);
  let keyOnHost = false;
  let session: PluginSession | undefined;
  const clock = deps.clock ? { clock: deps.clock } : {};
  try {
    const pushed = await changeAuthorizedKey({ io, ...clock, instanceId, region: target.region, change: { comment: key.comment, add: { publicKey: key.publicKey, minutes: KEY_MINUTES } }, wait: true });
    keyOnHost = pushed.outcome !== 'failed';
    if (pushed.outcome === 'failed') {
      io.err(`gm files: ${pushed.reason}`);
      return EXIT_FAILED;
    }
    if (pushed.outcome === 'interrupted') {
      io.err('gm files: interrupted before the tunnel opened: nothing was copied');
      return EXIT_FAILED;
    }
    const keyUntil = new Date(deps.now().getTime() + KEY_MINUTES * 60_000);

    const tunnel = await openTunnel({ io, ...clock, plugin, instanceId, region: target.region, env: deps.env });
    if (tunnel.outcome === 'failed') {
      io.err(`gm files: ${tunnel.reason}`);
      return EXIT_FAILED;
    }
    if (tunnel.outcome === 'interrupted') {
      io.err('gm files: interrupted before the tunnel opened: nothing was copied');
      return EXIT_FAILED;
    }
    session = tunnel.session;

    if (mode.kind === 'tunnel') {
      for (const line of tunnelLines(target, instanceId, tunnel.localPort, key, folders, keyUntil)) io.out(line);
      const how = await untilInterruptedOrEnded(signal, tunnel.session);
      if (how === 'ended') {
        io.err(`gm files: the tunnel closed (the Session Manager plugin ended${tunnel.session.output() ? `: ${tunnel.session.output()}` : ''}); run the command again to reopen it`);
        return EXIT_FAILED;
      }
      io.out('Closing the tunnel and deleting the key.');
      return EXIT_OK;
    }

    let connection: SshConnection;
    try {
      connection = await connectSsh({ port: tunnel.localPort, username: HOST_USER, privateKey: key.privateKey });
    } catch (e) {
      io.err(`gm files: could not log in to the host through the tunnel as ${HOST_USER} (${messageOf(e)}); run the command again, and if it fails the same way, check with ${gmCommandLine(`shell ${id}`)} that sshd runs there`);
      return EXIT_FAILED;
    }
    try {
      if (mode.kind === 'download') {
        const result = await downloadWorld({ connection, folders, root: mode.dir, io, signal });
        for (const folder of result.missing) io.err(`gm files: ${folder.hostPath} (the game's ${folder.containerPath}) is not on the host yet: nothing to download from it`);
        if (result.skipped.length > 0) io.err(`gm files: not copied (neither file nor folder): ${result.skipped.join(', ')}`);
        if (result.missing.length === folders.length) return EXIT_FAILED;
        if (result.outcome === 'interrupted') {
          io.err(`gm files: interrupted: ${mode.dir} holds a partial copy (${result.summary}); download again into an empty folder for a whole one`);
          return EXIT_FAILED;
        }
        io.out(`Downloaded ${id}'s world to ${mode.dir} (${result.summary.replace(/^(\d+) of \1 files, (.+) of \2$/, '$1 files, $2')}).`);
        return EXIT_OK;
      }

      const now = deps.now();
      const swap: UploadSwap = { source: uploadFolder(now), keep: keepFolder('upload', now) };
      const result = await uploadWorld({ connection, folders, root: mode.dir, io, signal, stagingFolder: swap.source });
      const staging = stagingPath(swap.source);
      const leftOnHost = `the partial upload could not be removed: delete ${staging} on the host (${gmCommandLine(`shell ${id}`)})`;
      if (result.outcome === 'interrupted') {
        io.err(`gm files: interrupted before the upload was handed to the host (${result.summary} sent): ${id}'s world is untouched, and ${result.cleaned ? 'the partial upload was removed' : leftOnHost}`);
        return EXIT_FAILED;
      }
      // The last moment Ctrl-C can still take the upload back: once the request is written, the host acts on it.
      if (signal.aborted) {
        const cleaned = await removeStaging(connection, swap.source);
        io.err(`gm files: interrupted before the upload was handed to the host: ${id}'s world is untouched, and ${cleaned ? 'the upload was removed' : leftOnHost}`);
        return EXIT_FAILED;
      }
      let request: Awaited<ReturnType<typeof requestUploadSwap>>;
      try {
        request = await requestUploadSwap(target, swap, mode.force);
      } catch (e) {
        // Without the request the staged copy is only clutter on the host; the AWS failure itself is main's one line.
        await removeStaging(connection, swap.source);
        throw e;
      }
      if (!request.written) {
        const cleaned = await removeStaging(connection, swap.source);
        for (const line of pendingRefusalLines(id, request.pending)) io.err(line);
        if (!cleaned) io.err(`gm files: ${leftOnHost}`);
        return EXIT_FAILED;
      }
      io.out(`Uploaded ${mode.dir} to ${staging} on ${id}'s host (${result.summary.replace(/^(\d+) of \1 files, (.+) of \2$/, '$1 files, $2')}).`);
      for (const line of uploadedLines(id, swap, { running: running > 0, ...(pending !== undefined ? { replaced: pending } : {}) })) io.out(line);
      if (result.skipped.length > 0) io.err(`gm files: not uploaded (neither file nor folder): ${result.skipped.join(', ')}`);
      return EXIT_OK;
    } catch (e) {
      // A failed transfer (a full disk, a permission on the host): one line; the copies have already cleaned up after themselves.
      if (!isTransferError(e)) throw e;
      io.err(mode.kind === 'upload'
        ? uploadFailedLine(id, messageOf(e))
        : `gm files: the download failed (${messageOf(e)}): ${mode.dir} holds a partial copy`);
      return EXIT_FAILED;
    } finally {
      connection.end();
    }
  } finally {
    io.progress(undefined);
    await session?.close();
    if (keyOnHost) {
      // Best effort: the key expires by itself on the host anyway.
      await changeAuthorizedKey({ io, instanceId, region: target.region, change: { comment: key.comment }, wait: false }).catch(() => undefined);
    }
    key.remove();
  }
}

export const filesCommand: Command = {
  name: 'files',
  summary: "reach a game's world over SFTP with no open port (tunnel, --download, --upload)",
  usage: USAGE,
  run: (args, io) => runFiles(args, io),
};

/**
 * `gm files` end to end in process: Auto Scaling, SSM and ECS answered by
 * aws-sdk-client-mock; the Session Manager plugin a real executable on PATH
 * that forwards the tunnel's local port to a real SFTP server (ssh2) serving
 * a temp folder as the host. The key gm pushes with Run Command is the only
 * key that server lets in, so every copy here proves the key, the tunnel and
 * the SFTP transfer together, with real files.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetCommandInvocationCommand, GetParameterCommand, PutParameterCommand, SendCommandCommand, SSMClient, StartSessionCommand, TerminateSessionCommand, type SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { filesCommand, runFiles, type FilesDependencies } from '../../src/cli/commands/files';
import { main } from '../../src/cli/main';
import { awsError, throttling } from '../support/aws-errors';
import { captureIo, type CapturedIo } from '../support/cli-io';
import { startSftpServer, type TestSftpServer } from '../support/sftp-server';
import { installFakePlugin, pluginStops, type FakePlugin } from './session-manager/fake-plugin';
import { deniedMessage, group, INSTANCE_ID, noCredentials, REGION, writeTestDeployment, type TestDeployment } from './session-manager/test-deployment';

jest.setTimeout(30_000);

const autoScaling = mockClient(AutoScalingClient);
const ssm = mockClient(SSMClient);
const ecs = mockClient(ECSClient);
let deployment: TestDeployment;
let plugin: FakePlugin;
let server: TestSftpServer;
let hostRoot: string;
let work: string;

const NOW = new Date('2026-11-30T10:45:00Z');
const STAMP = '20261130T104500Z';
const SESSION = { SessionId: 'ana-0a1b2c3d4e5f67890', TokenValue: 'AAEAAh-token', StreamUrl: `wss://ssmmessages.${REGION}.amazonaws.com/v1/data-channel/ana-0a1b2c3d4e5f67890?role=publish_subscribe` };
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:123456789012`;

/** The world folder of a volume on the fake host. */
const onHost = (...parts: string[]) => join(hostRoot, 'mnt/gm-world/volumes', ...parts);

/** A world: a few files, a nested folder, binary content, one file larger than an SFTP read. */
const WORLD: Record<string, string | Buffer> = {
  'server.properties': 'motd=friends\n',
  'world/level.dat': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x10]),
  'world/region/r.0.0.mca': Buffer.alloc(300_000, 7),
  'world/region/r.0.1.mca': Buffer.alloc(200_000, 9),
};

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every file below root with its content, paths with /. */
function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else files[path] = readFileSync(join(root, path)).toString('base64');
    }
  };
  walk('');
  return files;
}

const asStored = (files: Record<string, string | Buffer>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));

// The runs' key folders go to this suite's own folder: key folders of other suites running at the same
// time must not count as left behind by this one.
const KEY_PARENT = mkdtempSync(join(tmpdir(), 'gm-files-suite-'));

const keyFolders = () => readdirSync(KEY_PARENT).filter((n) => n.startsWith('gm-files-'));

/** What a run's clean-up is checked against: the key folders and plugin stops before it. */
const snapshot = () => ({ folders: keyFolders(), stops: pluginStops(plugin) });

function deps(extra: NodeJS.ProcessEnv = {}): FilesDependencies {
  return {
    env: plugin.env({ GM_CONFIG: deployment.configFile, FAKE_PLUGIN_FORWARD_PORT: String(server.port), ...extra }),
    machine: () => ({ platform: 'darwin', arch: 'arm64' }),
    now: () => NOW,
    keyParent: KEY_PARENT,
    // Real time, but a poll waits 20 ms at most: the key push and the tunnel answer at once here.
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) },
  };
}

const commandWith = (d: FilesDependencies) => ({ ...filesCommand, run: (args: readonly string[], io: CapturedIo['io']) => runFiles(args, io, d) });

/** The SendCommand inputs, in order. */
const sentCommands = (): SendCommandCommandInput[] => ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input);

function withHost(asg: string, desired: number, instances: { id: string; state: string }[]) {
  autoScaling.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [asg] }).resolves({ AutoScalingGroups: [group(asg, desired, instances)] });
}

beforeAll(async () => {
  deployment = writeTestDeployment();
  plugin = installFakePlugin();
  hostRoot = mkdtempSync(join(tmpdir(), 'gm-fake-host-'));
  server = await startSftpServer(hostRoot);
});
afterAll(async () => {
  autoScaling.restore();
  ssm.restore();
  ecs.restore();
  await server.close();
  deployment.remove();
  plugin.remove();
  rmSync(hostRoot, { recursive: true, force: true });
});
beforeEach(() => {
  autoScaling.reset();
  ssm.reset();
  ecs.reset();
  delete server.onTransfer;
  rmSync(join(hostRoot, 'mnt'), { recursive: true, force: true });
  work = mkdtempSync(join(tmpdir(), 'gm-files-test-'));
  withHost('gm-mc', 1, [{ id: INSTANCE_ID, state: 'InService' }]);
  withHost('gm-valheim', 1, [{ id: INSTANCE_ID, state: 'InService' }]);
  // Run Command puts the key in authorized_keys on the host: here, the test server learns it.
  let commands = 0;
  ssm.on(SendCommandCommand).callsFake((input: SendCommandCommandInput) => {
    const script = (input.Parameters?.commands ?? []).join('\n');
    const key = /'(ssh-ed25519 [A-Za-z0-9+/=]+ gm-files-[A-Za-z0-9._-]+)'/.exec(script)?.[1];
    if (key) server.authorize('ec2-user', key);
    commands++;
    return { Command: { CommandId: `0b1c2d3e-0000-4000-8000-00000000000${commands}`, DocumentName: input.DocumentName, Status: 'Pending', InstanceIds: input.InstanceIds } };
  });
  ssm.on(GetCommandInvocationCommand)
    .rejectsOnce(awsError('InvocationDoesNotExist', 'InvocationDoesNotExist'))
    .resolves({ InstanceId: INSTANCE_ID, Status: 'Success', StatusDetails: 'Success', ResponseCode: 0, StandardOutputContent: '', StandardErrorContent: '' });
  ssm.on(StartSessionCommand).resolves(SESSION);
  ssm.on(TerminateSessionCommand).resolves({ SessionId: SESSION.SessionId });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  // No swap waits for the next start; the upload's request is accepted.
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound', 'ParameterNotFound'));
  ssm.on(PutParameterCommand).resolves({ Version: 1, Tier: 'Standard' });
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/**
 * What every run that opened a tunnel leaves: the key gone here and asked off
 * the host, the plugin stopped and the session ended on AWS's side.
 */
function expectCleanedUp(before: ReturnType<typeof snapshot>, options: { pluginRan?: boolean } = {}) {
  expect(keyFolders()).toEqual(before.folders);
  expect(ssm.commandCalls(TerminateSessionCommand).map((c) => c.args[0].input)).toEqual([{ SessionId: SESSION.SessionId }]);
  if (options.pluginRan !== false) expect(pluginStops(plugin)).toBe(before.stops + 1);
  const removal = sentCommands().at(-1)!;
  expect(removal.Comment).toBe('gm files: remove temporary SFTP key');
  expect(removal.Parameters?.commands?.join('\n')).not.toContain('ssh-ed25519');
}

describe('gm files --download', () => {
  it('copies the world through the tunnel with the pushed key, then closes everything', async () => {
    writeTree(onHost('data'), WORLD);
    const before = snapshot();
    const { io, out, err, progress } = captureIo();
    const target = join(work, 'mc-world');

    expect(await runFiles(['mc', '--download', target], io, deps())).toBe(0);

    expect(err).toEqual([]);
    expect(out).toEqual([`Downloaded mc's world to ${target} (4 files, 488.3 KB).`]);
    expect(readTree(target)).toEqual(asStored(WORLD));
    expect(progress).toContain('downloading: 4 of 4 files, 488.3 KB of 488.3 KB');
    expect(server.logins.at(-1)?.username).toBe('ec2-user');
    // The key went to ec2-user's authorized_keys on this host, with an expiry sshd enforces.
    const push = sentCommands()[0]!;
    expect(push).toMatchObject({ DocumentName: 'AWS-RunShellScript', InstanceIds: [INSTANCE_ID], Comment: 'gm files: temporary SFTP key' });
    expect(push.Parameters?.commands).toContain("expiry=$(date -d '+30 minutes' +%Y%m%d%H%M)");
    expect(ssm.commandCalls(StartSessionCommand).map((c) => c.args[0].input)).toEqual([
      { Target: INSTANCE_ID, DocumentName: 'AWS-StartPortForwardingSession', Parameters: { portNumber: ['22'], localPortNumber: [expect.stringMatching(/^\d+$/)] } },
    ]);
    expectCleanedUp(before);
  });

  it('puts each volume of a game with several into a subfolder of its own', async () => {
    writeTree(onHost('config'), { 'worlds_local/Dedicated.fwl': 'world meta' });
    writeTree(onHost('opt-valheim'), { 'start_server.sh': '#!/bin/sh\n' });
    const { io, out } = captureIo();
    const target = join(work, 'valheim');
    expect(await runFiles(['valheim', '--download', target], io, deps())).toBe(0);
    expect(readTree(target)).toEqual(asStored({ 'config/worlds_local/Dedicated.fwl': 'world meta', 'opt-valheim/start_server.sh': '#!/bin/sh\n' }));
    expect(out).toEqual([`Downloaded valheim's world to ${target} (2 files, 20 B).`]);
  });

  it('refuses a folder that is not empty, before asking AWS anything', async () => {
    writeFileSync(join(work, 'notes.txt'), 'mine');
    const { io, err } = captureIo();
    expect(await runFiles(['mc', '--download', work], io, deps())).toBe(1);
    expect(err).toEqual([`gm files: ${work} is not an empty folder: name a new or empty one, so the world is not mixed with other files`]);
    expect(autoScaling.calls()).toHaveLength(0);
  });

  it('Ctrl-C mid-transfer leaves whole files only, says the copy is partial, and still cleans up', async () => {
    writeTree(onHost('data'), WORLD);
    const before = snapshot();
    const captured = captureIo();
    server.onTransfer = (kind, path) => {
      if (kind === 'read' && path.endsWith('r.0.1.mca')) captured.interrupt();
    };
    const target = join(work, 'partial');

    expect(await runFiles(['mc', '--download', target], captured.io, deps())).toBe(1);

    expect(captured.out).toEqual([]);
    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(new RegExp(`^gm files: interrupted: ${target} holds a partial copy \\(\\d of 4 files, .+\\); download again into an empty folder for a whole one$`));
    const copied = readTree(target);
    expect(copied['world/region/r.0.1.mca']).toBeUndefined();
    for (const [path, content] of Object.entries(copied)) expect(content).toBe(Buffer.from(WORLD[path]!).toString('base64'));
    expectCleanedUp(before);
  });
});

describe('gm files --upload', () => {
  const NEW_WORLD = { 'server.properties': 'motd=uploaded\n', 'world/level.dat': Buffer.from([1, 2, 3]), 'world/region/r.0.0.mca': Buffer.alloc(150_000, 3) };
  const UPLOAD = 'upload-2026-11-30T10-45-00Z';
  const KEEP = 'before-upload-2026-11-30T10-45-00Z';
  const REQUEST = `keep=${KEEP}\nsource=${UPLOAD}`;
  const A_RESTORE = 'keep=before-restore-2026-11-30T10-35-00Z\nrestored-between=20261130101800 20261130103600\njob=1a2b3c4d-0000-4000-8000-000000000001';
  /** The host's world root, as the SFTP server serves it. */
  const worldRoot = (...parts: string[]) => join(hostRoot, 'mnt/gm-world', ...parts);
  const puts = () => ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);

  const afterUpload = (game: string, options: { running?: boolean } = {}) => [
    `at ${game}'s next start, before the game starts:`,
    `  the uploaded world (now in /mnt/gm-world/${UPLOAD}/volumes) goes in place at /mnt/gm-world/volumes`,
    `  the current world is kept in /mnt/gm-world/${KEEP}/volumes`,
    options.running
      ? `${game} plays on the current world until then, and what it saves is set aside with it: to switch now, \`npm run --silent gm -- stop ${game}\`, then \`npm run --silent gm -- start ${game}\`.`
      : `to switch now, \`npm run --silent gm -- stop ${game}\`, then \`npm run --silent gm -- start ${game}\`.`,
    `to undo: \`npm run --silent gm -- restore ${game} --undo\` (before that start it cancels this; after it, it puts the kept world back at the following start)`,
  ];

  it('stages the whole world in upload-<time>/volumes, leaves the live world alone, and asks the host to swap at the next start', async () => {
    writeTree(onHost('data'), WORLD);
    writeTree(join(work, 'new'), NEW_WORLD);
    const before = snapshot();
    const { io, out, err } = captureIo();

    expect(await runFiles(['mc', '--upload', join(work, 'new')], io, deps())).toBe(0);

    expect(err).toEqual([]);
    expect(out).toEqual([`Uploaded ${join(work, 'new')} to /mnt/gm-world/${UPLOAD} on mc's host (3 files, 146.5 KB).`, ...afterUpload('mc')]);
    // Laid out as the host lays out the live world, so the swap moves one folder.
    expect(readTree(worldRoot(UPLOAD))).toEqual(asStored(Object.fromEntries(Object.entries(NEW_WORLD).map(([k, v]) => [`volumes/data/${k}`, v]))));
    expect(readTree(onHost('data'))).toEqual(asStored(WORLD));
    expect(readdirSync(worldRoot()).sort()).toEqual([UPLOAD, 'volumes']);
    // Created only if no request waits: the check and the write are one step on SSM's side.
    expect(puts()).toEqual([{ Name: '/gm/mc/world-swap', Value: REQUEST, Type: 'String', Overwrite: false }]);
    expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'gm-mc', serviceName: 'gm-mc', desiredStatus: 'RUNNING' }]);
    expectCleanedUp(before);
  });

  it('stages every volume of a game with several under upload-<time>/volumes/<volume>', async () => {
    writeTree(onHost('config'), { 'old.txt': 'old' });
    writeTree(join(work, 'new'), { 'config/worlds_local/Dedicated.fwl': 'new meta', 'opt-valheim/start_server.sh': '#!/bin/sh\n' });
    const { io, out, err } = captureIo();
    const code = await runFiles(['valheim', '--upload', join(work, 'new')], io, deps());
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(readTree(worldRoot(UPLOAD))).toEqual(asStored({ 'volumes/config/worlds_local/Dedicated.fwl': 'new meta', 'volumes/opt-valheim/start_server.sh': '#!/bin/sh\n' }));
    expect(puts().map((p) => [p.Name, p.Value])).toEqual([['/gm/valheim/world-swap', REQUEST]]);
    expect(out.slice(1)).toEqual(afterUpload('valheim'));
  });

  it('refuses while the game runs, says plainly what an upload then costs, and touches nothing', async () => {
    writeTree(onHost('data'), WORLD);
    writeTree(join(work, 'new'), NEW_WORLD);
    ecs.on(ListTasksCommand).resolves({ taskArns: [`${CLUSTER_ARN}:task/gm-mc/0123456789abcdef0123456789abcdef`] });
    const { io, out, err } = captureIo();

    expect(await runFiles(['mc', '--upload', join(work, 'new')], io, deps())).toBe(1);

    expect(out).toEqual([]);
    expect(err).toEqual([
      'gm files: mc is running, so nothing was uploaded: an upload goes in place at the next start, and whatever is played until then is lost (the game keeps saving into the world that is set aside at that start).',
      'The upload needs the host, which runs only while the game does: to upload anyway, run again with --force, then stop and start mc right after (`npm run --silent gm -- stop mc`, then `npm run --silent gm -- start mc`).',
    ]);
    expect(readdirSync(worldRoot())).toEqual(['volumes']);
    expect(sentCommands()).toEqual([]);
    expect(puts()).toEqual([]);
    expect(ssm.commandCalls(StartSessionCommand)).toHaveLength(0);
  });

  it('--force uploads while the game runs, and says that play until the switch is set aside', async () => {
    writeTree(onHost('data'), WORLD);
    writeTree(join(work, 'new'), NEW_WORLD);
    ecs.on(ListTasksCommand).resolves({ taskArns: [`${CLUSTER_ARN}:task/gm-mc/0123456789abcdef0123456789abcdef`] });
    const { io, out } = captureIo();

    expect(await runFiles(['mc', '--upload', join(work, 'new'), '--force'], io, deps())).toBe(0);

    expect(readTree(onHost('data'))).toEqual(asStored(WORLD));
    expect(readTree(worldRoot(UPLOAD, 'volumes/data'))).toEqual(asStored(NEW_WORLD));
    expect(out.slice(1)).toEqual(afterUpload('mc', { running: true }));
    expect(puts()).toEqual([{ Name: '/gm/mc/world-swap', Value: REQUEST, Type: 'String', Overwrite: true }]);
  });

  it('refuses when a restore already waits for the next start, naming it, before copying anything', async () => {
    writeTree(join(work, 'new'), NEW_WORLD);
    ssm.on(GetParameterCommand, { Name: '/gm/mc/world-swap' }).resolves({ Parameter: { Name: '/gm/mc/world-swap', Type: 'String', Value: A_RESTORE, Version: 1 } });
    const { io, out, err } = captureIo();

    expect(await runFiles(['mc', '--upload', join(work, 'new')], io, deps())).toBe(1);

    expect(out).toEqual([]);
    expect(err).toEqual([
      "gm files: a restore (job 1a2b3c4d-0000-4000-8000-000000000001) already waits for mc's next start, so nothing was uploaded.",
      'Run again with --force to replace it with this upload, or cancel it first with `npm run --silent gm -- restore mc --undo`.',
    ]);
    expect(puts()).toEqual([]);
    expect(ssm.commandCalls(StartSessionCommand)).toHaveLength(0);
  });

  it('--force replaces a pending upload, and says which', async () => {
    mkdirSync(onHost(), { recursive: true });
    writeTree(join(work, 'new'), NEW_WORLD);
    ssm.on(GetParameterCommand, { Name: '/gm/mc/world-swap' }).resolves({ Parameter: { Name: '/gm/mc/world-swap', Type: 'String', Value: 'keep=before-upload-2026-11-29T08-00-00Z\nsource=upload-2026-11-29T08-00-00Z', Version: 1 } });
    const { io, out, err } = captureIo();
    expect(await runFiles(['mc', '--upload', join(work, 'new'), '--force'], io, deps())).toBe(0);
    expect(err).toEqual([]);
    expect(out[1]).toBe('(this replaces the upload in upload-2026-11-29T08-00-00Z, which was waiting for the next start)');
    expect(puts()).toEqual([{ Name: '/gm/mc/world-swap', Value: REQUEST, Type: 'String', Overwrite: true }]);
  });

  it('a request written by someone else during the copy: refuses, removes the staged copy, leaves their request', async () => {
    writeTree(join(work, 'new'), NEW_WORLD);
    ssm.on(GetParameterCommand, { Name: '/gm/mc/world-swap' })
      .rejectsOnce(awsError('ParameterNotFound', 'ParameterNotFound'))
      .resolves({ Parameter: { Name: '/gm/mc/world-swap', Type: 'String', Value: A_RESTORE, Version: 1 } });
    ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.'));
    mkdirSync(onHost(), { recursive: true });
    const before = snapshot();
    const { io, out, err } = captureIo();

    expect(await runFiles(['mc', '--upload', join(work, 'new')], io, deps())).toBe(1);

    expect(out).toEqual([]);
    expect(err[0]).toBe("gm files: a restore (job 1a2b3c4d-0000-4000-8000-000000000001) already waits for mc's next start, so nothing was uploaded.");
    expect(readdirSync(worldRoot())).toEqual(['volumes']);
    expectCleanedUp(before);
  });

  it('Ctrl-C mid-upload: no request, the staging folder removed, the world untouched', async () => {
    writeTree(onHost('data'), WORLD);
    writeTree(join(work, 'new'), NEW_WORLD);
    const before = snapshot();
    const captured = captureIo();
    server.onTransfer = (kind, path) => {
      if (kind === 'write' && path.endsWith('r.0.0.mca')) captured.interrupt();
    };

    expect(await runFiles(['mc', '--upload', join(work, 'new')], captured.io, deps())).toBe(1);

    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm files: interrupted before the upload was handed to the host \(\d of 3 files, .+ sent\): mc's world is untouched, and the partial upload was removed$/);
    expect(readTree(onHost('data'))).toEqual(asStored(WORLD));
    expect(readdirSync(worldRoot())).toEqual(['volumes']);
    expect(puts()).toEqual([]);
    expectCleanedUp(before);
  });

  it('Ctrl-C after the last file but before the request: no request, the staged copy removed', async () => {
    writeTree(onHost('data'), WORLD);
    writeTree(join(work, 'new'), { 'only.txt': 'one small file' });
    const captured = captureIo();
    // The single file is written in one request: interrupt once it is there, as the copy finishes.
    server.onTransfer = (kind) => {
      if (kind === 'write') setImmediate(() => captured.interrupt());
    };

    expect(await runFiles(['mc', '--upload', join(work, 'new')], captured.io, deps())).toBe(1);

    expect(captured.err).toHaveLength(1);
    expect(captured.err[0]).toMatch(/^gm files: interrupted before the upload was handed to the host.*: mc's world is untouched, and the (partial )?upload was removed$/);
    expect(readdirSync(worldRoot())).toEqual(['volumes']);
    expect(puts()).toEqual([]);
  });

  it('a host refusing the upload (no world root): one line, no request', async () => {
    mkdirSync(join(hostRoot, 'mnt'), { recursive: true });
    writeTree(join(work, 'new'), NEW_WORLD);
    const before = snapshot();
    const { io, out, err } = captureIo();
    expect(await runFiles(['mc', '--upload', join(work, 'new')], io, deps())).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(["gm files: the upload failed (No such file or directory): mc's world on the host is unchanged"]);
    expect(readdirSync(join(hostRoot, 'mnt'))).toEqual([]);
    expect(puts()).toEqual([]);
    expectCleanedUp(before);
  });

  it('access denied writing the request: one line naming the action, and the staged copy removed', async () => {
    mkdirSync(onHost(), { recursive: true });
    writeTree(join(work, 'new'), NEW_WORLD);
    const arn = `arn:aws:ssm:${REGION}:123456789012:parameter/gm/mc/world-swap`;
    ssm.on(PutParameterCommand).rejects(awsError('AccessDeniedException', deniedMessage('ssm:PutParameter', arn)));
    const { io, out, err } = captureIo();
    expect(await main(['files', 'mc', '--upload', join(work, 'new')], io, [commandWith(deps())])).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^gm files: AWS denied ssm:PutParameter on ${arn}: `));
    expect(readdirSync(worldRoot())).toEqual(['volumes']);
  });

  it('needs one subfolder per volume for a game with several', async () => {
    writeTree(join(work, 'new'), { 'config/a.txt': 'a' });
    const { io, err } = captureIo();
    expect(await runFiles(['valheim', '--upload', join(work, 'new')], io, deps())).toBe(1);
    expect(err).toEqual([`gm files: the game has 2 world folders (config, opt-valheim); ${join(work, 'new')} must hold one subfolder for each, missing: ${join(work, 'new', 'opt-valheim')}`]);
    expect(autoScaling.calls()).toHaveLength(0);
  });
});

describe('gm files (tunnel for an SFTP client)', () => {
  it('prints the connection settings, serves SFTP with the printed key until Ctrl-C, then closes and deletes the key', async () => {
    writeTree(onHost('data'), WORLD);
    const before = snapshot();
    const captured = captureIo();
    const running = runFiles(['mc'], captured.io, deps());
    for (let i = 0; i < 200 && !captured.out.some((l) => l.startsWith('Press Ctrl-C')); i++) await new Promise((r) => setTimeout(r, 50));

    const port = /^ {2}port {6}(\d+)$/.exec(captured.out.find((l) => l.startsWith('  port')) ?? '')?.[1];
    const keyFile = /^ {2}key file {2}(.+)$/.exec(captured.out.find((l) => l.startsWith('  key file')) ?? '')?.[1];
    expect(port).toBeDefined();
    expect(keyFile).toBeDefined();
    expect(captured.out).toEqual([
      `Tunnel to mc's host ${INSTANCE_ID} is open. Connect with SFTP:`,
      '  host      127.0.0.1',
      `  port      ${port}`,
      '  user      ec2-user',
      `  key file  ${keyFile}`,
      "  world     /mnt/gm-world/volumes/data  (the game's /data)",
      `  sftp -i ${keyFile} -P ${port} -o UserKnownHostsFile=${join(keyFile!, '..', 'known_hosts')} -o StrictHostKeyChecking=accept-new ec2-user@127.0.0.1`,
      `  FileZilla: File > Site Manager > New site: Protocol SFTP, Host 127.0.0.1, Port ${port}, Logon Type "Key file", User ec2-user, Key file ${keyFile}`,
      'The key lets new connections in until 11:15 UTC (30 minutes); run the command again for a new one.',
      'Files you change while the game runs may be overwritten when it next saves.',
      'Press Ctrl-C to close the tunnel and delete the key.',
    ]);

    // A user's SFTP client, with the printed settings.
    const listing = await new Promise<string[]>((resolve, reject) => {
      const client = new Client();
      client.on('error', reject);
      client.on('ready', () => client.sftp((e, sftp) => {
        if (e) return reject(e);
        sftp.readdir('/mnt/gm-world/volumes/data', (e2, list) => {
          client.end();
          if (e2) reject(e2);
          else resolve(list.map((f) => f.filename).sort());
        });
      }));
      client.connect({ host: '127.0.0.1', port: Number(port), username: 'ec2-user', privateKey: readFileSync(keyFile!) });
    });
    expect(listing).toEqual(['server.properties', 'world']);

    captured.interrupt();
    expect(await running).toBe(0);
    expect(captured.out.at(-1)).toBe('Closing the tunnel and deleting the key.');
    expect(existsSync(keyFile!)).toBe(false);
    expectCleanedUp(before);
  });

  it('Ctrl-C while the tunnel opens: nothing copied, tunnel and key cleaned up', async () => {
    writeTree(onHost('data'), WORLD);
    const before = snapshot();
    const captured = captureIo();
    ssm.on(StartSessionCommand).callsFake(() => {
      captured.interrupt();
      return SESSION;
    });
    const target = join(work, 'never');
    expect(await runFiles(['mc', '--download', target], captured.io, deps())).toBe(1);
    expect(captured.err).toEqual(['gm files: interrupted before the tunnel opened: nothing was copied']);
    expect(existsSync(target)).toBe(false);
    // Stopped at once, perhaps before it could record the signal.
    expectCleanedUp(before, { pluginRan: false });
  });

  it('says so when the plugin ends before the tunnel opens', async () => {
    const before = snapshot();
    const { io, err } = captureIo();
    expect(await runFiles(['mc'], io, deps({ FAKE_PLUGIN_EXIT: '1' }))).toBe(1);
    expect(err).toEqual(['gm files: the Session Manager plugin ended before the tunnel opened: An error occurred (TargetNotConnected) when calling the StartSession operation']);
    expect(keyFolders()).toEqual(before.folders);
  });
});

describe('gm files without a way in', () => {
  it('says the game is stopped and how to start it', async () => {
    withHost('gm-mc', 0, []);
    const { io, err } = captureIo();
    expect(await runFiles(['mc'], io, deps())).toBe(1);
    expect(err).toEqual(['gm files: mc is stopped: start it with `npm run --silent gm -- start mc`']);
    expect(sentCommands()).toEqual([]);
  });

  it('without the plugin prints the install step and the AWS CLI tunnel, and pushes no key', async () => {
    const { io, err } = captureIo();
    const d = deps();
    expect(await runFiles(['mc'], io, { ...d, env: { ...d.env, PATH: '/nonexistent' } })).toBe(1);
    expect(err.slice(0, 3)).toEqual([
      'The AWS Session Manager plugin (session-manager-plugin) is not installed or not on PATH. Install it:',
      '  brew install --cask session-manager-plugin',
      '  or, without Homebrew: curl "https://s3.amazonaws.com/session-manager-downloads/plugin/latest/mac_arm64/session-manager-plugin.pkg" -o session-manager-plugin.pkg && sudo installer -pkg session-manager-plugin.pkg -target / && sudo ln -s /usr/local/sessionmanagerplugin/bin/session-manager-plugin /usr/local/bin/session-manager-plugin',
    ]);
    expect(err[4]).toMatch(new RegExp(`^ {2}aws ssm start-session --target ${INSTANCE_ID} --region ${REGION} --document-name AWS-StartPortForwardingSession --parameters portNumber=22,localPortNumber=\\d+$`));
    expect(sentCommands()).toEqual([]);
  });

  it('a host not connected to Systems Manager yet: says to try again, cleans up', async () => {
    ssm.on(SendCommandCommand).rejects(awsError('InvalidInstanceId', 'Instances [[i-0123456789abcdef0]] not in a valid state for account 123456789012'));
    const before = snapshot();
    const { io, err } = captureIo();
    expect(await runFiles(['mc', '--download', join(work, 'w')], io, deps())).toBe(1);
    expect(err).toEqual([`gm files: the host ${INSTANCE_ID} is not connected to Systems Manager yet: try again in a minute`]);
    expect(keyFolders()).toEqual(before.folders);
    expect(ssm.commandCalls(StartSessionCommand)).toHaveLength(0);
  });

  it('a key the host did not take: says the login failed, cleans up', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: '0b1c2d3e-0000-4000-8000-0000000000ff', Status: 'Pending' } });
    const before = snapshot();
    const { io, err } = captureIo();
    expect(await runFiles(['mc', '--download', join(work, 'w')], io, deps())).toBe(1);
    expect(err).toEqual(['gm files: could not log in to the host through the tunnel as ec2-user (All configured authentication methods failed); run the command again, and if it fails the same way, check with `npm run --silent gm -- shell mc` that sshd runs there']);
    expectCleanedUp(before);
  });

  it('a game without volumes has nothing to copy', async () => {
    const { io, err } = captureIo();
    expect(await runFiles(['novol'], io, deps())).toBe(1);
    expect(err).toEqual([`gm files: novol keeps no files on its world (no volumes in ${deployment.configFile}): there is nothing to copy`]);
  });
});

describe('gm files through main(): usage and AWS failures', () => {
  it('--force without --upload is a usage error', async () => {
    const { io, err } = captureIo();
    expect(await main(['files', 'mc', '--force'], io, [commandWith(deps())])).toBe(2);
    expect(err[0]).toBe('gm files: --force only goes with --upload');
  });

  it('--download and --upload together is a usage error', async () => {
    const { io, err } = captureIo();
    expect(await main(['files', 'mc', '--download', 'a', '--upload', 'b'], io, [commandWith(deps())])).toBe(2);
    expect(err[0]).toBe('gm files: --download and --upload cannot go together');
  });

  it('no credentials: one line, exit 1', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(noCredentials());
    const { io, out, err } = captureIo();
    expect(await main(['files', 'mc'], io, [commandWith(deps())])).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^gm files: no AWS credentials found/);
  });

  it('access denied to SendCommand: one line naming the action, and the key file is gone', async () => {
    const resource = `arn:aws:ssm:${REGION}::document/AWS-RunShellScript`;
    ssm.on(SendCommandCommand).rejects(awsError('AccessDeniedException', deniedMessage('ssm:SendCommand', resource)));
    const before = snapshot();
    const { io, err } = captureIo();
    expect(await main(['files', 'mc'], io, [commandWith(deps())])).toBe(1);
    expect(err).toEqual([`gm files: AWS denied ssm:SendCommand on ${resource}: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)`]);
    expect(keyFolders()).toEqual(before.folders);
  });

  it('throttled past the retries: one line', async () => {
    ecs.on(ListTasksCommand).rejects(throttling());
    writeTree(join(work, 'new'), { 'a.txt': 'a' });
    const { io, err } = captureIo();
    expect(await main(['files', 'mc', '--upload', join(work, 'new')], io, [commandWith(deps())])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^gm files: AWS kept answering ThrottlingException/);
  });
});

/**
 * The world swap as the host runs it: the real bash program against a
 * temporary world folder, with `gm-ssm-parameter` (the SSM parameter) and
 * `mountpoint` faked on PATH. The requests are made by the CLI's own
 * formatter, so the two sides of the parameter are tested together.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { worldSwapScript } from '../../../src/constructs/game/world-swap-script';
import { keepFolder, swapRequestText, uploadFolder } from '../../../src/cli/restore/swap-request';

const PARAMETER = '/gm/mc/world-swap';
const JOB_CREATED = new Date('2026-11-30T10:20:00Z');
const JOB_DONE = new Date('2026-11-30T10:34:00Z');
const RESTORED = 'aws-backup-restore_2026-11-30T10-20-31-587Z';

interface Host {
  readonly dir: string;
  readonly world: string;
  readonly ssm: string;
  /** Runs gm-world-swap once, as user data does. */
  swap(): { status: number | null; stdout: string; stderr: string };
  /** The fake parameter store's calls, in order. */
  calls(): string[];
  setParameter(text: string): void;
  parameter(): string | undefined;
  /** Writes a file of the world (folders made as needed). */
  write(path: string, text: string): void;
  read(path: string): string;
  exists(path: string): boolean;
  list(path?: string): string[];
}

const FAKE_PARAMETER_STORE = `#!/bin/bash
# get|delete NAME against a file; fails when told to.
echo "$1 $2" >> "$FAKE_SSM/calls"
case $1 in
  get)
    [ -e "$FAKE_SSM/fail-get" ] && { echo "GetParameter failed: ThrottlingException" >&2; exit 1; }
    [ -e "$FAKE_SSM/value" ] && cat "$FAKE_SSM/value"
    exit 0 ;;
  delete)
    [ -e "$FAKE_SSM/fail-delete" ] && { echo "DeleteParameter failed" >&2; exit 1; }
    rm -f "$FAKE_SSM/value"
    exit 0 ;;
esac
exit 2
`;

const FAKE_MOUNTPOINT = `#!/bin/bash
[ -e "$FAKE_SSM/unmounted" ] && exit 32
exit 0
`;

function host(): Host {
  const dir = mkdtempSync(join(tmpdir(), 'gm-world-swap-'));
  const bin = join(dir, 'bin');
  const world = join(dir, 'world');
  const ssm = join(dir, 'ssm');
  for (const d of [bin, world, ssm]) mkdirSync(d);
  const program = join(bin, 'gm-world-swap');
  for (const [name, text] of [['gm-world-swap', worldSwapScript()], ['gm-ssm-parameter', FAKE_PARAMETER_STORE], ['mountpoint', FAKE_MOUNTPOINT]] as const) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const at = (path: string) => join(world, path);
  return {
    dir,
    world,
    ssm,
    swap: () => {
      const run = spawnSync('bash', [program, world, PARAMETER], {
        env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_SSM: ssm },
        encoding: 'utf8',
      });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    },
    calls: () => (existsSync(join(ssm, 'calls')) ? readFileSync(join(ssm, 'calls'), 'utf8').trim().split('\n') : []),
    setParameter: (text) => writeFileSync(join(ssm, 'value'), text),
    parameter: () => (existsSync(join(ssm, 'value')) ? readFileSync(join(ssm, 'value'), 'utf8') : undefined),
    write: (path, text) => {
      mkdirSync(join(at(path), '..'), { recursive: true });
      writeFileSync(at(path), text);
    },
    read: (path) => readFileSync(at(path), 'utf8'),
    exists: (path) => existsSync(at(path)),
    list: (path = '.') => readdirSync(at(path)).sort(),
  };
}

function restoreRequest(keep = keepFolder('restore', new Date('2026-11-30T10:35:00Z'))): { text: string; keep: string } {
  return { keep, text: swapRequestText({ kind: 'restore', keep, jobId: 'job-1', jobCreatedAt: JOB_CREATED, jobCompletedAt: JOB_DONE }) };
}

let hosts: Host[] = [];
function newHost(): Host {
  const h = host();
  hosts.push(h);
  return h;
}
afterEach(() => {
  for (const h of hosts) rmSync(h.dir, { recursive: true, force: true });
  hosts = [];
});

describe('gm-world-swap', () => {
  it('does nothing when no restore is pending (the parameter does not exist)', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    const run = h.swap();
    expect(run.status).toBe(0);
    expect(h.list()).toEqual(['volumes']);
    expect(h.calls()).toEqual([`get ${PARAMETER}`]);
  });

  it('moves the current volumes aside, the restored ones in place, removes the emptied restore folder and deletes the request', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    const { text, keep } = restoreRequest();
    expect(keep).toBe('before-restore-2026-11-30T10-35-00Z');
    h.setParameter(text);

    const run = h.swap();

    expect(run.status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('restored');
    expect(h.read(`${keep}/volumes/data/level.dat`)).toBe('current');
    expect(h.list()).toEqual([keep, 'volumes']);
    // The folder set aside belongs to the world's owner (uid 1000), so it can be deleted over SFTP (as root only: chown needs it).
    if (process.getuid?.() === 0) expect(statSync(join(h.world, keep)).uid).toBe(1000);
    expect(h.parameter()).toBeUndefined();
    expect(h.calls()).toEqual([`get ${PARAMETER}`, `delete ${PARAMETER}`]);
    expect(run.stdout.trim().split('\n')).toEqual([`gm-world-swap: the world from ${RESTORED} is in place; the one before it is in ${keep}`]);
  });

  it('takes the folder the restore job made, not an older or a later restore', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write('aws-backup-restore_2026-11-29T08-00-00-000Z/volumes/data/level.dat', 'older job');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'this job');
    h.write('aws-backup-restore_2026-11-30T12-00-00-123456789Z/volumes/data/level.dat', 'later job');
    h.setParameter(restoreRequest().text);
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('this job');
    expect(h.exists('aws-backup-restore_2026-11-29T08-00-00-000Z/volumes/data/level.dat')).toBe(true);
    expect(h.exists('aws-backup-restore_2026-11-30T12-00-00-123456789Z/volumes/data/level.dat')).toBe(true);
  });

  it('puts a restore in place on an empty world (nothing to keep aside)', () => {
    const h = newHost();
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    const { text, keep } = restoreRequest();
    h.setParameter(text);
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('restored');
    expect(h.list(keep)).toEqual(['.swap-source']);
    expect(h.parameter()).toBeUndefined();
  });

  it('finishes a swap a boot left between the two moves', () => {
    const h = newHost();
    const { text, keep } = restoreRequest();
    // The state after the first move: the current world aside, the restored one still waiting.
    h.write(`${keep}/.swap-source`, `${RESTORED}\n`);
    h.write(`${keep}/volumes/data/level.dat`, 'current');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    h.setParameter(text);
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('restored');
    expect(h.read(`${keep}/volumes/data/level.dat`)).toBe('current');
    expect(h.parameter()).toBeUndefined();
  });

  it('when deleting the request fails after the moves, the next boot only deletes it (no second swap)', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    // A second, older before-restore folder an undo-like rerun must not pick up.
    h.write('before-restore-2026-11-01T00-00-00Z/volumes/data/level.dat', 'much older');
    const { text, keep } = restoreRequest();
    h.setParameter(text);
    writeFileSync(join(h.ssm, 'fail-delete'), '');
    expect(h.swap().status).not.toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('restored');
    expect(h.parameter()).toBe(text);

    rmSync(join(h.ssm, 'fail-delete'));
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('restored');
    expect(h.read(`${keep}/volumes/data/level.dat`)).toBe('current');
    expect(h.read('before-restore-2026-11-01T00-00-00Z/volumes/data/level.dat')).toBe('much older');
    expect(h.parameter()).toBeUndefined();
  });

  it('undo: goes back to the newest before-restore folder and keeps the current world in a before-undo folder', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'restored');
    h.write('before-restore-2026-11-01T00-00-00Z/volumes/data/level.dat', 'older');
    h.write('before-restore-2026-11-30T10-35-00Z/volumes/data/level.dat', 'newest');
    const keep = keepFolder('undo', new Date('2026-11-30T11:00:00Z'));
    expect(keep).toBe('before-undo-2026-11-30T11-00-00Z');
    h.setParameter(swapRequestText({ kind: 'undo', keep }));
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('newest');
    expect(h.read(`${keep}/volumes/data/level.dat`)).toBe('restored');
    expect(h.read('before-restore-2026-11-01T00-00-00Z/volumes/data/level.dat')).toBe('older');
    expect(h.parameter()).toBeUndefined();
  });

  it('upload: puts the staged upload-<time>/volumes in place, keeps the current world in before-upload-<time>, removes the emptied staging folder', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write('volumes/data/world/region/r.0.0.mca', 'current region');
    const when = new Date('2026-11-30T10:45:00Z');
    const source = uploadFolder(when);
    const keep = keepFolder('upload', when);
    expect([source, keep]).toEqual(['upload-2026-11-30T10-45-00Z', 'before-upload-2026-11-30T10-45-00Z']);
    h.write(`${source}/volumes/data/level.dat`, 'uploaded');
    h.write(`${source}/volumes/data/server.properties`, 'motd=uploaded');
    h.setParameter(swapRequestText({ kind: 'upload', keep, source }));

    const run = h.swap();

    expect(run.status).toBe(0);
    expect(h.list('volumes/data')).toEqual(['level.dat', 'server.properties']);
    expect(h.read('volumes/data/level.dat')).toBe('uploaded');
    expect(h.read(`${keep}/volumes/data/level.dat`)).toBe('current');
    expect(h.read(`${keep}/volumes/data/world/region/r.0.0.mca`)).toBe('current region');
    expect(h.list()).toEqual([keep, 'volumes']);
    expect(h.parameter()).toBeUndefined();
    expect(run.stdout.trim()).toBe(`gm-world-swap: the world from ${source} is in place; the one before it is in ${keep}`);
  });

  it('upload whose staging folder is gone (removed by hand): world untouched, request deleted, the log names the folder', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    const when = new Date('2026-11-30T10:45:00Z');
    h.setParameter(swapRequestText({ kind: 'upload', keep: keepFolder('upload', when), source: uploadFolder(when) }));
    const run = h.swap();
    expect(run.status).toBe(0);
    expect(h.list()).toEqual(['volumes']);
    expect(h.parameter()).toBeUndefined();
    expect(run.stdout.trim()).toBe("gm-world-swap: nothing to put in place ('upload-2026-11-30T10-45-00Z' has no volumes folder); the world stays as it is");
  });

  it('undo after an upload goes back to the world the upload set aside when that is the newest kept one', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'uploaded');
    h.write('before-restore-2026-11-29T09-00-00Z/volumes/data/level.dat', 'before an older restore');
    h.write('before-upload-2026-11-30T10-45-00Z/volumes/data/level.dat', 'before the upload');
    h.write('before-restore-2026-11-28T09-00-00Z/volumes/data/level.dat', 'oldest');
    const keep = keepFolder('undo', new Date('2026-11-30T11:00:00Z'));
    h.setParameter(swapRequestText({ kind: 'undo', keep }));
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('before the upload');
    expect(h.read(`${keep}/volumes/data/level.dat`)).toBe('uploaded');
    expect(h.read('before-restore-2026-11-29T09-00-00Z/volumes/data/level.dat')).toBe('before an older restore');
  });

  it('undo still takes a before-restore folder newer than any upload', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'restored');
    h.write('before-upload-2026-11-29T09-00-00Z/volumes/data/level.dat', 'before an older upload');
    h.write('before-restore-2026-11-30T10-35-00Z/volumes/data/level.dat', 'before the restore');
    h.setParameter(swapRequestText({ kind: 'undo', keep: keepFolder('undo', new Date('2026-11-30T11:00:00Z')) }));
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('before the restore');
  });

  it('never swaps on a world that is not mounted: exit 1, everything as it was, the request kept for the next boot', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    h.setParameter(restoreRequest().text);
    writeFileSync(join(h.ssm, 'unmounted'), '');
    const run = h.swap();
    expect(run.status).toBe(1);
    expect(run.stdout.trim()).toBe(`gm-world-swap: ${h.world} is not mounted; a pending swap waits for the next boot`);
    expect(h.read('volumes/data/level.dat')).toBe('current');
    expect(h.calls()).toEqual([]);
    expect(h.parameter()).toBeDefined();
  });

  it('leaves the world as it is when the parameter cannot be read', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    h.setParameter(restoreRequest().text);
    writeFileSync(join(h.ssm, 'fail-get'), '');
    const run = h.swap();
    expect(run.status).toBe(1);
    expect(run.stdout.trim()).toBe(`gm-world-swap: could not read ${PARAMETER}; the world stays as it is until the next boot`);
    expect(h.read('volumes/data/level.dat')).toBe('current');
    expect(h.parameter()).toBeDefined();
  });

  it('a request whose restored folder is not there: world untouched, request deleted, and the log says so', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.setParameter(restoreRequest().text);
    const run = h.swap();
    expect(run.status).toBe(0);
    expect(h.list()).toEqual(['volumes']);
    expect(h.read('volumes/data/level.dat')).toBe('current');
    expect(h.parameter()).toBeUndefined();
    expect(run.stdout).toContain("nothing to put in place for job 'job-1'");
  });

  it('refuses a keep folder that is a path, and never moves anything outside the world', () => {
    const h = newHost();
    h.write('volumes/data/level.dat', 'current');
    h.write(`${RESTORED}/volumes/data/level.dat`, 'restored');
    h.setParameter(restoreRequest('../outside').text);
    expect(h.swap().status).toBe(0);
    expect(h.read('volumes/data/level.dat')).toBe('current');
    expect(existsSync(join(h.dir, 'outside'))).toBe(false);
    expect(h.parameter()).toBeUndefined();
  });
});

const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!shellcheck) {
  // Visible in the run's output: the lint below did not run here.
  console.warn('shellcheck is not installed: the gm-world-swap lint test is skipped (apt-get install -y shellcheck)');
}
(shellcheck ? it : it.skip)('passes shellcheck', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gm-world-swap-lint-'));
  try {
    writeFileSync(join(dir, 'gm-world-swap'), worldSwapScript());
    const run = spawnSync('shellcheck', ['--shell=bash', join(dir, 'gm-world-swap')], { encoding: 'utf8' });
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

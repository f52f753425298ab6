/**
 * The script gm runs on the host (SSM Run Command, AWS-RunShellScript) to
 * put its key in ec2-user's authorized_keys and take it off again, run for
 * real with bash on a temp home folder: the same lines, with only the user
 * and the home folder swapped for this machine's (the test is not root).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { authorizedKeysScript, HOST_USER } from '../../src/cli/files/authorized-key';

let home: string;
const keysFile = () => join(home, '.ssh', 'authorized_keys');

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'gm-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Runs the script as the host would, with this user and home in place of ec2-user's. */
function runOnThisMachine(lines: string[]): void {
  const me = userInfo().username;
  const script = lines
    .map((line) => (line === `user=${HOST_USER}` ? `user=${me}` : line))
    .map((line) => (line.startsWith('home=') ? `home='${home}'` : line))
    .join('\n');
  execFileSync('bash', ['-c', script], { stdio: 'pipe' });
}

/** A time for expiry-time, in this machine's zone, as sshd reads it. */
function expiry(offsetMinutes: number): string {
  return execFileSync('date', ['-d', `${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes`, '+%Y%m%d%H%M']).toString().trim();
}

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN0rX74UHuBZU5K/9T+iJnojBGuRX81rPLmnYqdqx1YO gm-files-mc-20261130T104500Z-42';

describe('the authorized_keys script', () => {
  it('adds the key with an expiry, creating .ssh with the modes sshd wants', () => {
    runOnThisMachine(authorizedKeysScript({ comment: 'gm-files-mc-20261130T104500Z-42', add: { publicKey: KEY, minutes: 30 } }));
    const lines = readFileSync(keysFile(), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const [, time] = /^expiry-time="(\d{12})" (.+)$/.exec(lines[0]!) ?? [];
    expect(lines[0]).toMatch(/^expiry-time="\d{12}" ssh-ed25519 AAAA\S+ gm-files-mc-20261130T104500Z-42$/);
    // Within a minute of 30 minutes from now (the minute may turn while the test runs).
    expect([expiry(30), expiry(31)]).toContain(time);
    expect(statSync(join(home, '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(keysFile()).mode & 0o777).toBe(0o600);
  });

  it("keeps the user's own keys and gm keys still valid, drops expired gm keys", () => {
    runOnThisMachine(['set -eu', `mkdir -p '${home}/.ssh'`]);
    const own = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ana@laptop';
    const valid = `expiry-time="${expiry(10)}" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBB gm-files-mc-20261130T100000Z-7`;
    const expired = `expiry-time="${expiry(-10)}" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCC gm-files-mc-20261130T090000Z-8`;
    writeFileSync(keysFile(), `${own}\n${expired}\n${valid}\n`);
    runOnThisMachine(authorizedKeysScript({ comment: 'gm-files-mc-20261130T104500Z-42', add: { publicKey: KEY, minutes: 30 } }));
    const lines = readFileSync(keysFile(), 'utf8').trim().split('\n');
    expect(lines.slice(0, 2)).toEqual([own, valid]);
    expect(lines[2]).toMatch(/gm-files-mc-20261130T104500Z-42$/);
    expect(lines).toHaveLength(3);
  });

  it("removes this run's key and leaves the others", () => {
    runOnThisMachine(authorizedKeysScript({ comment: 'gm-files-mc-20261130T104500Z-42', add: { publicKey: KEY, minutes: 30 } }));
    const own = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDDD ana@laptop';
    writeFileSync(keysFile(), `${own}\n${readFileSync(keysFile(), 'utf8')}`);
    runOnThisMachine(authorizedKeysScript({ comment: 'gm-files-mc-20261130T104500Z-42' }));
    expect(readFileSync(keysFile(), 'utf8')).toBe(`${own}\n`);
  });

  it('refuses a key or comment a shell could read as code', () => {
    expect(() => authorizedKeysScript({ comment: "gm-files-x'; rm -rf /" })).toThrow('not a gm key comment');
    expect(() => authorizedKeysScript({ comment: 'gm-files-x', add: { publicKey: "ssh-ed25519 AAAA' x", minutes: 30 } })).toThrow('not an ed25519 key line');
  });
});

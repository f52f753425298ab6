/**
 * A stand-in for session-manager-plugin: a real executable put on PATH in a
 * temp folder. It answers `--version`, records each run's arguments and the
 * AWS_SSM_START_SESSION_RESPONSE variable, and for a port-forwarding session
 * listens on the local port and forwards every connection to a test server
 * (the host's sshd), as the real plugin forwards to the host's port 22.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface FakePluginRun {
  readonly argv: string[];
  /** AWS_SSM_START_SESSION_RESPONSE as the plugin saw it (null when unset). */
  readonly responseEnv: string | null;
  readonly profileEnv: string | null;
}

export interface FakePlugin {
  readonly folder: string;
  /** An environment with the plugin's folder first on PATH, plus `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  runs(): FakePluginRun[];
  remove(): void;
}

const SCRIPT = `
const fs = require('node:fs');
const net = require('node:net');
const args = process.argv.slice(2);
if (args[0] === '--version') {
  process.stdout.write((process.env.FAKE_PLUGIN_VERSION || '1.2.707.0') + '\\n');
  process.exit(0);
}
fs.appendFileSync(process.env.FAKE_PLUGIN_LOG, JSON.stringify({
  argv: args,
  responseEnv: process.env.AWS_SSM_START_SESSION_RESPONSE ?? null,
  profileEnv: process.env.AWS_PROFILE ?? null,
}) + '\\n');
const request = JSON.parse(args[4]);
if (request.DocumentName !== 'AWS-StartPortForwardingSession') process.exit(Number(process.env.FAKE_PLUGIN_EXIT || 0));
if (process.env.FAKE_PLUGIN_EXIT) {
  process.stderr.write('An error occurred (TargetNotConnected) when calling the StartSession operation\\n');
  process.exit(Number(process.env.FAKE_PLUGIN_EXIT));
}
const localPort = Number(request.Parameters.localPortNumber[0]);
const server = net.createServer((socket) => {
  const far = net.connect(Number(process.env.FAKE_PLUGIN_FORWARD_PORT), '127.0.0.1');
  socket.pipe(far).pipe(socket);
  socket.on('error', () => far.destroy());
  far.on('error', () => socket.destroy());
});
server.listen(localPort, '127.0.0.1', () => {
  process.stdout.write('Port ' + localPort + ' opened for sessionId ' + JSON.parse(process.env.AWS_SSM_START_SESSION_RESPONSE || args[0]).SessionId + '.\\nWaiting for connections...\\n');
});
process.on('SIGTERM', () => {
  fs.appendFileSync(process.env.FAKE_PLUGIN_LOG, JSON.stringify({ signal: 'SIGTERM' }) + '\\n');
  process.exit(0);
});
`;

export function installFakePlugin(): FakePlugin {
  const folder = mkdtempSync(join(tmpdir(), 'fake-smp-'));
  const log = join(folder, 'runs.jsonl');
  const path = join(folder, 'session-manager-plugin');
  writeFileSync(path, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(path, 0o755);
  return {
    folder,
    env: (extra = {}) => ({ ...process.env, PATH: `${folder}${delimiter}${process.env.PATH ?? ''}`, FAKE_PLUGIN_LOG: log, ...extra }),
    runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakePluginRun).filter((r) => Array.isArray(r.argv)) : []),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** How many times gm told a running plugin to stop (SIGTERM), over all runs so far. */
export function pluginStops(plugin: FakePlugin): number {
  const log = join(plugin.folder, 'runs.jsonl');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"signal":"SIGTERM"')).length : 0;
}

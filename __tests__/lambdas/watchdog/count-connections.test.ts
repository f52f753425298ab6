/**
 * count-connections.sh against real sockets: a TCP server on 127.0.0.1 with
 * real clients, connection-tracking tables written as files, and fake `docker`
 * / `nsenter` commands on PATH standing in for a game container (entering a
 * real namespace needs root, which test machines do not have).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../../src/lambdas/watchdog/host/count-connections.sh');

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the script without blocking the event loop (the TCP server under test lives in this process). */
function runScript(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [SCRIPT, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/**
 * Socket states settle asynchronously (a closed client's server side leaves
 * ESTABLISHED a moment later), so poll until the expected count or a deadline.
 */
async function countSettlesAt(expected: number, args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await runScript(args, env);
    if ((result.code === 0 && result.stdout === `${expected}\n`) || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function writeExecutable(dir: string, name: string, body: string): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

let workDir: string;
let server: Server;
let serverPort: number;
const serverSides: Socket[] = [];
const clients: Socket[] = [];

async function openClient(): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port: serverPort });
  await new Promise<void>((r, reject) => socket.once('connect', () => r()).once('error', reject));
  clients.push(socket);
}

function closeAllClients(): void {
  for (const socket of clients.splice(0)) socket.destroy();
}

/** PATH whose `docker` reports no containers: the machine's own Docker must not change the result. */
function envWithoutContainers(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const bin = join(workDir, 'no-containers');
  return { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, GM_CONNTRACK_FILE: join(workDir, 'absent'), ...extra };
}

beforeAll(async () => {
  const ss = spawnSync('ss', ['-V']);
  if (ss.error) {
    throw new Error('`ss` is not installed: install iproute2 (apt-get install iproute2, or dnf install iproute); count-connections.sh counts TCP with it');
  }
  workDir = mkdtempSync(join(tmpdir(), 'count-connections-'));
  const noContainers = join(workDir, 'no-containers');
  mkdirSync(noContainers);
  writeExecutable(noContainers, 'docker', 'exit 0');

  server = createServer((socket) => {
    serverSides.push(socket);
    socket.on('error', () => undefined); // a client reset is expected when tests close connections
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverPort = (server.address() as AddressInfo).port;
});

afterEach(() => closeAllClients());

afterAll(async () => {
  for (const socket of serverSides) socket.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('count-connections.sh: TCP in the current namespace', () => {
  it('counts 0, then 3 connected clients, then 2 after one closes', async () => {
    const args = [`tcp:${serverPort}`];
    expect(await countSettlesAt(0, args, envWithoutContainers())).toMatchObject({ code: 0, stdout: '0\n' });

    await openClient();
    await openClient();
    await openClient();
    expect(await countSettlesAt(3, args, envWithoutContainers())).toMatchObject({ code: 0, stdout: '3\n' });

    clients.shift()?.destroy();
    expect(await countSettlesAt(2, args, envWithoutContainers())).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('accepts the ports as one space-separated argument, as SSM passes them', async () => {
    await openClient();
    const result = await countSettlesAt(1, [`tcp:${serverPort} udp:19132`], envWithoutContainers());
    expect(result).toMatchObject({ code: 0, stdout: '1\n' });
  });

  it('does not count connections on other ports', async () => {
    await openClient();
    const otherPort = serverPort === 65535 ? 65534 : serverPort + 1;
    const result = await runScript([`tcp:${otherPort}`], envWithoutContainers());
    expect(result).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('counts in the current namespace, with a note, when Docker does not answer', async () => {
    const bin = join(workDir, 'docker-down');
    mkdirSync(bin);
    writeExecutable(bin, 'docker', 'echo "Cannot connect to the Docker daemon" >&2; exit 1');
    await openClient();
    await openClient();
    const env = { ...envWithoutContainers(), PATH: `${bin}:${process.env.PATH ?? ''}` };
    const result = await countSettlesAt(2, [`tcp:${serverPort}`], env);
    expect(result).toMatchObject({ code: 0, stdout: '2\n' });
    expect(result.stderr).toContain('docker is installed but not answering');
  });
});

describe('count-connections.sh: TCP inside a container that publishes the port', () => {
  it("enters the container's namespace and counts on the container-side port", async () => {
    const bin = join(workDir, 'container');
    mkdirSync(bin);
    const nsenterLog = join(bin, 'nsenter.log');
    // Host port 40000 is published to the test server's port, as `-p 40000:<port>` would; 8000-8001 is a range.
    writeExecutable(
      bin,
      'docker',
      [
        'case "$1" in',
        `  ps) printf 'c0ffee\\t0.0.0.0:40000->${serverPort}/tcp, :::40000->${serverPort}/tcp, 0.0.0.0:19132->19132/udp\\n'`,
        `      printf 'bead00\\t0.0.0.0:8000-8001->9000-9001/tcp\\n' ;;`,
        '  inspect) [ "$4" = c0ffee ] && echo 4242 || echo 4343 ;;',
        '  *) exit 1 ;;',
        'esac',
      ].join('\n'),
    );
    // Stands in for nsenter: records how it was called, then runs the command here.
    writeExecutable(bin, 'nsenter', `echo "$*" >> '${nsenterLog}'\nshift 3\nexec "$@"`);
    await openClient();
    await openClient();
    await openClient();

    const env = { ...envWithoutContainers(), PATH: `${bin}:${process.env.PATH ?? ''}` };
    const result = await countSettlesAt(3, ['tcp:40000', 'tcp:8001'], env);

    expect(result).toMatchObject({ code: 0, stdout: '3\n' });
    const calls = readFileSync(nsenterLog, 'utf8').trim().split('\n').sort();
    expect(calls.at(-1)).toBe(`-t 4343 -n ss -Htn state established ( sport = :9001 )`);
    expect(calls[0]).toBe(`-t 4242 -n ss -Htn state established ( sport = :${serverPort} )`);
  });
});

describe('count-connections.sh: UDP peers from connection tracking', () => {
  // Real /proc/net/nf_conntrack lines: player -> host port, DNATed to the container (reply direction second).
  const table = [
    'ipv4     2 udp      17 119 src=203.0.113.5 dst=10.0.0.4 sport=50001 dport=19132 src=172.17.0.2 dst=203.0.113.5 sport=19132 dport=50001 [ASSURED] mark=0 zone=0 use=2',
    // the same flow listed again must not count twice
    'ipv4     2 udp      17 119 src=203.0.113.5 dst=10.0.0.4 sport=50001 dport=19132 src=172.17.0.2 dst=203.0.113.5 sport=19132 dport=50001 [ASSURED] mark=0 zone=0 use=2',
    // a second player on IPv6
    'ipv6     10 udp      17 29 src=2001:db8::5 dst=2001:db8::4 sport=50002 dport=19132 src=2001:db8::4 dst=2001:db8::5 sport=19132 dport=50002 mark=0 zone=0 use=2',
    // a scanner the game never answered
    'ipv4     2 udp      17 29 src=198.51.100.7 dst=10.0.0.4 sport=40000 dport=19132 [UNREPLIED] src=172.17.0.2 dst=198.51.100.7 sport=19132 dport=40000 mark=0 zone=0 use=2',
    // the game server's own DNS lookup: its reply direction has dport=19132, but it is not a player
    'ipv4     2 udp      17 29 src=172.17.0.2 dst=10.0.0.2 sport=19132 dport=53 src=10.0.0.2 dst=10.0.0.4 sport=53 dport=19132 mark=0 zone=0 use=2',
    // TCP flows are counted from sockets, not here
    'ipv4     2 tcp      6 431999 ESTABLISHED src=203.0.113.9 dst=10.0.0.4 sport=50010 dport=19132 src=172.17.0.2 dst=203.0.113.9 sport=19132 dport=50010 [ASSURED] mark=0 zone=0 use=2',
    // `conntrack -L` format (no "ipv4 2" prefix), another port
    'udp      17 100 src=203.0.113.6 dst=10.0.0.4 sport=50003 dport=27015 src=172.17.0.2 dst=203.0.113.6 sport=27015 dport=50003 [ASSURED] mark=0 use=1',
  ].join('\n');

  it('counts 0 without error when there is no connection-tracking table', async () => {
    const result = await runScript(['udp:19132'], envWithoutContainers());
    expect(result).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('counts each answered player flow once, on the requested ports only', async () => {
    const file = join(workDir, 'nf_conntrack');
    writeFileSync(file, `${table}\n`);
    const env = envWithoutContainers({ GM_CONNTRACK_FILE: file });

    expect(await runScript(['udp:19132'], env)).toMatchObject({ code: 0, stdout: '2\n' });
    expect(await runScript(['udp:19132', 'udp:27015'], env)).toMatchObject({ code: 0, stdout: '3\n' });
    expect(await runScript(['udp:25565'], env)).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('adds TCP connections and UDP peers into one number', async () => {
    const file = join(workDir, 'nf_conntrack-sum');
    writeFileSync(file, `${table}\n`);
    await openClient();
    const result = await countSettlesAt(3, [`tcp:${serverPort} udp:19132`], envWithoutContainers({ GM_CONNTRACK_FILE: file }));
    expect(result).toMatchObject({ code: 0, stdout: '3\n' });
  });
});

describe('count-connections.sh: bad arguments', () => {
  it.each([[[]], [['25565']], [['sctp:25565']], [['tcp:0']], [['tcp:65536']], [['tcp:']], [['tcp:25565', 'udp:x']]])(
    'exits 2 with usage for %j',
    async (args: string[]) => {
      const result = await runScript(args, envWithoutContainers());
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('usage: count-connections.sh <protocol>:<port>');
    },
  );
});

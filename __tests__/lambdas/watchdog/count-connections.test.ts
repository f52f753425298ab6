/**
 * count-connections.sh against real sockets: a TCP server on 127.0.0.1 with
 * real clients, a bound UDP socket standing in for a UDP game, connection-
 * tracking tables written as files, and fake `docker` / `nsenter` commands on
 * PATH standing in for a game container (entering a real namespace needs
 * root, which test machines do not have).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
/** A TCP game with players (the tests' clients connect to it). */
let server: Server;
let serverPort: number;
/** A TCP game nobody connects to. */
let quietServer: Server;
let quietPort: number;
/** A UDP game: one bound, unconnected socket, like most UDP game servers. */
let udpGame: UdpSocket;
let udpPort: number;
/** A port nothing listens on (TCP or UDP). */
let silentPort: number;
/** An empty connection-tracking table: readable, no flows. */
let emptyTable: string;
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

async function listeningServer(): Promise<{ server: Server; port: number }> {
  const created = createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((r) => created.listen(0, '127.0.0.1', () => r()));
  return { server: created, port: (created.address() as AddressInfo).port };
}

/**
 * A port free for both protocols right now, found by binding and releasing it.
 * Taken below Linux's ephemeral range (32768+), so no other test's `listen(0)`
 * can be handed it afterwards and make it listen while this file expects silence.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const probe = createServer();
    const tcpFree = await new Promise<boolean>((r) => {
      probe.once('error', () => r(false));
      probe.listen(port, '127.0.0.1', () => r(true));
    });
    if (!tcpFree) continue;
    await new Promise<void>((r) => probe.close(() => r()));
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((r) => {
      udp.once('error', () => r(false));
      udp.bind(port, '127.0.0.1', () => r(true));
    });
    if (free) {
      await new Promise<void>((r) => udp.close(() => r()));
      return port;
    }
    udp.close();
  }
}

/** A bin directory whose `docker` shows one container `c0ffee` (PID 4242) publishing `ports`, and an nsenter that logs its calls. */
function containerBin(name: string, ports: string, pid = 4242): { bin: string; nsenterLog: string } {
  const bin = join(workDir, name);
  mkdirSync(bin);
  const nsenterLog = join(bin, 'nsenter.log');
  writeExecutable(bin, 'docker', [
    'case "$1" in',
    `  ps) printf 'c0ffee\\t${ports}\\n' ;;`,
    `  inspect) [ "$4" = c0ffee ] && echo ${pid} || exit 1 ;;`,
    '  *) exit 1 ;;',
    'esac',
  ].join('\n'));
  // Stands in for nsenter: records how it was called, then runs the command here.
  writeExecutable(bin, 'nsenter', `echo "$*" >> '${nsenterLog}'\nshift 3\nexec "$@"`);
  return { bin, nsenterLog };
}

function nsenterCalls(log: string): string[] {
  return readFileSync(log, 'utf8').trim().split('\n').sort();
}

function withBin(bin: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${bin}:${env.PATH ?? ''}` };
}

/**
 * A PATH with only the tools the script needs (and a `docker` without
 * containers), so no `conntrack` of the machine running the tests is found.
 */
function minimalPath(name: string, extra: Record<string, string> = {}): string {
  const bin = join(workDir, name);
  mkdirSync(bin);
  for (const tool of ['bash', 'ss', 'awk', 'cat', 'wc', 'tr']) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`]).stdout.toString().trim();
    if (!found) throw new Error(`${tool} is not installed; count-connections.sh needs it`);
    symlinkSync(found, join(bin, tool));
  }
  writeExecutable(bin, 'docker', 'exit 0');
  for (const [tool, body] of Object.entries(extra)) writeExecutable(bin, tool, body);
  return bin;
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
  ({ server: quietServer, port: quietPort } = await listeningServer());

  udpGame = createSocket('udp4');
  await new Promise<void>((r) => udpGame.bind(0, '127.0.0.1', () => r()));
  udpPort = udpGame.address().port;
  silentPort = await freePort();
  emptyTable = join(workDir, 'nf_conntrack-empty');
  writeFileSync(emptyTable, '');
});

afterEach(() => closeAllClients());

afterAll(async () => {
  for (const socket of serverSides) socket.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await new Promise<void>((r) => (quietServer ? quietServer.close(() => r()) : r()));
  if (udpGame) await new Promise<void>((r) => udpGame.close(() => r()));
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
    const result = await countSettlesAt(1, [`tcp:${serverPort} udp:${udpPort}`], envWithoutContainers({ GM_CONNTRACK_FILE: emptyTable }));
    expect(result).toMatchObject({ code: 0, stdout: '1\n' });
  });

  it('does not count connections on other ports', async () => {
    await openClient();
    const result = await runScript([`tcp:${quietPort}`], envWithoutContainers());
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
  it("enters the container's namespace, checks the game listens there and counts on the container-side port", async () => {
    // Host port 40000 is published to the test server's port, as `-p 40000:<port>` would; 8000-8001 is a range.
    const bin = join(workDir, 'container');
    mkdirSync(bin);
    const nsenterLog = join(bin, 'nsenter.log');
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
    writeExecutable(bin, 'nsenter', `echo "$*" >> '${nsenterLog}'\nshift 3\nexec "$@"`);
    await openClient();
    await openClient();
    await openClient();

    const result = await countSettlesAt(3, ['tcp:40000', 'tcp:8001'], withBin(bin, envWithoutContainers()));

    expect(result).toMatchObject({ code: 0, stdout: '3\n' });
    const calls = new Set(nsenterCalls(nsenterLog));
    expect(calls).toContain(`-t 4242 -n ss -Hltn ( sport = :${serverPort} )`);
    expect(calls).toContain('-t 4343 -n ss -Hltn ( sport = :9001 )');
    expect(calls).toContain(`-t 4242 -n ss -Htn state established ( sport = :${serverPort} )`);
    expect(calls).toContain('-t 4343 -n ss -Htn state established ( sport = :9001 )');
  });
});

describe('count-connections.sh: exits 3 while the game is not listening yet', () => {
  it('when nothing listens on the port and no container publishes it', async () => {
    const result = await runScript([`tcp:${silentPort}`], envWithoutContainers());

    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toContain(`the game is not listening yet: nothing listens on tcp:${silentPort} (no container publishes it)`);
  });

  it('when no UDP socket is bound to the port, even with flows in connection tracking', async () => {
    const file = join(workDir, 'nf_conntrack-before-listen');
    writeFileSync(file, `ipv4     2 udp      17 119 src=203.0.113.5 dst=10.0.0.4 sport=50001 dport=${silentPort} src=10.0.0.4 dst=203.0.113.5 sport=${silentPort} dport=50001 [ASSURED] mark=0 use=2\n`);

    const result = await runScript([`udp:${silentPort}`], envWithoutContainers({ GM_CONNTRACK_FILE: file }));

    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toContain(`nothing listens on udp:${silentPort}`);
  });

  it("when a container publishes the port but nothing listens inside it yet (checked in the container's namespace)", async () => {
    const { bin, nsenterLog } = containerBin('container-booting', `0.0.0.0:25565->${silentPort}/tcp, 0.0.0.0:19132->${silentPort}/udp`);

    const result = await runScript(['tcp:25565 udp:19132'], withBin(bin, envWithoutContainers({ GM_CONNTRACK_FILE: emptyTable })));

    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toContain(`tcp:25565 (port ${silentPort} in container c0ffee)`);
    expect(result.stderr).toContain(`udp:19132 (port ${silentPort} in container c0ffee)`);
    expect(nsenterCalls(nsenterLog)).toEqual([
      `-t 4242 -n ss -Hltn ( sport = :${silentPort} )`,
      `-t 4242 -n ss -Huan ( sport = :${silentPort} )`,
    ]);
  });

  it('when the container that publishes the port stopped since `docker ps`', async () => {
    const { bin } = containerBin('container-stopped', `0.0.0.0:25565->${serverPort}/tcp`, 0);

    const result = await runScript(['tcp:25565'], withBin(bin, envWithoutContainers()));

    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toContain('tcp:25565 (container c0ffee has stopped)');
  });

  it('but counts once any requested port listens (a query port may open later)', async () => {
    await openClient();

    const result = await countSettlesAt(1, [`tcp:${serverPort}`, `tcp:${silentPort}`], envWithoutContainers());

    expect(result).toMatchObject({ code: 0, stdout: '1\n' });
  });

  it('exits 1, not 3, when ss itself fails: a broken tool is not a booting game', async () => {
    const bin = join(workDir, 'broken-ss');
    mkdirSync(bin);
    writeExecutable(bin, 'ss', 'echo "Cannot open netlink socket: Protocol not supported" >&2; exit 255');

    const result = await runScript([`tcp:${serverPort}`], withBin(bin, envWithoutContainers()));

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('Cannot open netlink socket');
    expect(result.stderr).toContain(`ss failed while looking for a listener on tcp:${serverPort}`);
  });

  it('documents its exit codes in its header', () => {
    const header = readFileSync(SCRIPT, 'utf8').split('\nset -euo pipefail')[0] ?? '';
    expect(header).toMatch(/^#\s+0\s+the count/m);
    expect(header).toMatch(/^#\s+1\s+a tool/m);
    expect(header).toMatch(/^#\s+2\s+bad arguments/m);
    expect(header).toMatch(/^#\s+3\s+the game is not listening yet/m);
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

  /** The UDP game's container publishes host ports 19132, 27015 and 25565 to the bound test socket. */
  function udpGameEnv(name: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const { bin } = containerBin(name, `0.0.0.0:19132->${udpPort}/udp, :::19132->${udpPort}/udp, 0.0.0.0:27015->${udpPort}/udp, 0.0.0.0:25565->${udpPort}/udp`);
    return withBin(bin, envWithoutContainers(extra));
  }

  it('exits 1 asking for conntrack-tools when no connection-tracking table is readable, instead of counting 0', async () => {
    const env = { ...envWithoutContainers(), PATH: minimalPath('no-conntrack') };

    const result = await runScript([`udp:${udpPort}`], env);

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('no connection-tracking table');
    expect(result.stderr).toContain('install conntrack-tools');
  });

  it('reads the flows with `conntrack -L -p udp` when the table file is not readable', async () => {
    const argsLog = join(workDir, 'conntrack-args.log');
    const tableFile = join(workDir, 'conntrack-output');
    writeFileSync(tableFile, `${table}\n`);
    const bin = minimalPath('with-conntrack', {
      conntrack: `echo "$*" > '${argsLog}'\ncat '${tableFile}'\necho "conntrack v1.4.7 (conntrack-tools): 7 flow entries have been shown." >&2`,
    });

    const result = await runScript([`udp:${udpPort}`, 'udp:19132'], { ...envWithoutContainers(), PATH: bin });

    expect(result).toMatchObject({ code: 0, stdout: '2\n' });
    expect(readFileSync(argsLog, 'utf8').trim()).toBe('-L -p udp');
  });

  it('exits 1 when `conntrack -L` fails (not root, connection tracking not loaded)', async () => {
    const bin = minimalPath('conntrack-fails', { conntrack: 'echo "conntrack v1.4.7 (conntrack-tools): Operation not permitted" >&2; exit 1' });

    const result = await runScript([`udp:${udpPort}`], { ...envWithoutContainers(), PATH: bin });

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('conntrack -L failed');
  });

  it('counts each answered player flow once, on the requested host ports only', async () => {
    const file = join(workDir, 'nf_conntrack');
    writeFileSync(file, `${table}\n`);
    const env = udpGameEnv('udp-game', { GM_CONNTRACK_FILE: file });

    expect(await runScript(['udp:19132'], env)).toMatchObject({ code: 0, stdout: '2\n' });
    expect(await runScript(['udp:19132', 'udp:27015'], env)).toMatchObject({ code: 0, stdout: '3\n' });
    expect(await runScript(['udp:25565'], env)).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('adds TCP connections and UDP peers into one number', async () => {
    const file = join(workDir, 'nf_conntrack-sum');
    writeFileSync(file, `${table}\n`);
    await openClient();
    const result = await countSettlesAt(3, [`tcp:${serverPort} udp:19132`], udpGameEnv('udp-game-sum', { GM_CONNTRACK_FILE: file }));
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

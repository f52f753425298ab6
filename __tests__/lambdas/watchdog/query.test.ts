/**
 * The query probe against a real Minecraft server speaking the real protocol
 * (minecraft-protocol's server), with fake offline-mode players joining and leaving.
 */
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createClient, createServer, type Client, type Server } from 'minecraft-protocol';
import type { ProbeResult } from '../../../src/lambdas/watchdog/probes/probe-result';
import { probeByQuery, queryPlayers } from '../../../src/lambdas/watchdog/probes/query';

const VERSION = '1.20.1';
const HOST = '127.0.0.1';
const DEADLINE_MS = 20_000;

let server: Server;
let port: number;
const clients: Client[] = [];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Probes until the answer is `players` (logins and disconnects take a moment to register), or fails with the last answer. */
async function probeUntil(players: number): Promise<ProbeResult> {
  const deadline = Date.now() + DEADLINE_MS;
  let last: ProbeResult | undefined;
  while (Date.now() < deadline) {
    last = await probeByQuery({ type: 'minecraft', host: HOST, port, timeoutMs: 1000 });
    if (last.ok && last.players === players) return last;
    await sleep(200);
  }
  throw new Error(`the probe never reported ${players} players; last answer ${JSON.stringify(last)}`);
}

function join(username: string): Client {
  const client = createClient({ username, host: HOST, port, version: VERSION, auth: 'offline' });
  client.on('error', () => undefined); // a disconnect at teardown is expected
  clients.push(client);
  return client;
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe: TcpServer = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

beforeAll(async () => {
  server = createServer({ 'online-mode': false, host: HOST, port: 0, version: VERSION, motd: 'watchdog test' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  // minecraft-protocol's typings do not declare the TCP server it listens with;
  // it is the only way to learn the port chosen for port 0.
  port = ((server as unknown as { socketServer: TcpServer }).socketServer.address() as AddressInfo).port;
});

/** Ends a player's connection and waits until it is closed (ending an ended client would leave a 30 s timer behind). */
async function leave(client: Client): Promise<void> {
  if (client.ended) return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  client.end('bye');
  await ended;
}

afterAll(async () => {
  await Promise.all(clients.map(leave));
  server.close();
});

describe('query probe against a real Minecraft server', () => {
  it('reports 0, then 2 while two players are on, then 0 after they leave', async () => {
    const empty = await probeUntil(0);
    expect(empty).toEqual({ ok: true, players: 0, latencyMs: expect.any(Number) });

    const alice = join('alice');
    const bob = join('bob');
    await expect(probeUntil(2)).resolves.toMatchObject({ ok: true, players: 2 });
    expect(server.playerCount).toBe(2);

    await Promise.all([leave(alice), leave(bob)]);
    await expect(probeUntil(0)).resolves.toMatchObject({ ok: true, players: 0 });
  });

  it('queryPlayers answers players and latency, as `gm probe` prints them', async () => {
    const answer = await queryPlayers({ type: 'minecraft', host: HOST, port, timeoutMs: 3000 });
    expect(answer).toEqual({ players: expect.any(Number), latencyMs: expect.any(Number) });
    expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a port where nothing answers is a probe error naming the address, never zero players', async () => {
    const free = await closedPort();
    const result = await probeByQuery({ type: 'minecraft', host: HOST, port: free, timeoutMs: 1000 });

    expect(result).toEqual({ ok: false, error: expect.stringContaining(`${HOST}:${free}`) });
    await expect(queryPlayers({ type: 'minecraft', host: HOST, port: free, timeoutMs: 1000 })).rejects.toThrow(/no answer to the minecraft query/);
  });
});

/**
 * The query probe against a real Minecraft server speaking the real protocol
 * (minecraft-protocol's server), with fake offline-mode players joining and leaving.
 */
import type { ProbeResult } from '../../../src/lambdas/watchdog/probes/probe-result';
import { probeByQuery, queryPlayers } from '../../../src/lambdas/watchdog/probes/query';
import { closedPort, LOCALHOST as HOST, startMinecraftServer, type MinecraftServer } from '../../support/minecraft';

const DEADLINE_MS = 20_000;

let minecraft: MinecraftServer;
let port: number;

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

beforeAll(async () => {
  minecraft = await startMinecraftServer();
  port = minecraft.port;
});

afterAll(() => minecraft.close());

describe('query probe against a real Minecraft server', () => {
  it('reports 0, then 2 while two players are on, then 0 after they leave', async () => {
    const empty = await probeUntil(0);
    expect(empty).toEqual({ ok: true, players: 0, latencyMs: expect.any(Number) });

    const [alice, bob] = await Promise.all([minecraft.join('alice'), minecraft.join('bob')]);
    await expect(probeUntil(2)).resolves.toMatchObject({ ok: true, players: 2 });
    expect(minecraft.server.playerCount).toBe(2);

    await Promise.all([minecraft.leave(alice), minecraft.leave(bob)]);
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

  it.each(['minecraft', 'mbe', 'valheim'])('a %s server whose name does not resolve is a probe error, never a crash', async (type) => {
    // .invalid never resolves (RFC 2606). A UDP query used to send on the socket that never connected and throw.
    const result = await probeByQuery({ type, host: 'game.example.invalid', port: 25565, timeoutMs: 2000 });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('game.example.invalid') });
  });
});

/**
 * `gm probe`: the command line in process, and the real command in its own
 * process against a port where nothing listens and against a real server
 * speaking the Minecraft protocol (minecraft-protocol's server, with fake
 * players joining).
 */
import { parseProbeArgs, runProbe, type QueryPlayers } from '../../src/cli/commands/probe';
import { main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';
import { closedPort, startMinecraftServer, type MinecraftServer } from '../support/minecraft';
import { runCli } from './run-cli';

describe('gm probe command line', () => {
  it('defaults to the minecraft query and a 5 s timeout', () => {
    expect(parseProbeArgs(['--host', 'mc.example.com', '--port', '25565'])).toEqual({
      type: 'minecraft',
      host: 'mc.example.com',
      port: 25565,
      timeoutMs: 5000,
    });
    expect(parseProbeArgs(['--type', 'valheim', '--host', '192.0.2.1', '--port', '2457', '--timeout', '800'])).toEqual({
      type: 'valheim',
      host: '192.0.2.1',
      port: 2457,
      timeoutMs: 800,
    });
  });

  it.each([
    [['--port', '25565'], /--host is required/],
    [['--host', 'mc.example.com'], /--port is required/],
    [['--host', 'mc.example.com', '--port', 'minecraft'], /--port must be a whole number, got "minecraft"/],
    [['--host', 'mc.example.com', '--port', '70000'], /--port must be between 1 and 65535, got 70000/],
    [['--host', 'mc.example.com', '--port', '25565', '--timeout', '0'], /--timeout must be between 1 and 600000/],
    [['--host', 'mc.example.com', '--port', '25565', 'extra'], /unexpected argument "extra"/],
    [['--hots', 'mc.example.com', '--port', '25565'], /Unknown option '--hots'/],
    [['--type', 'palworld', '--host', 'mc.example.com', '--port', '8212'], /--type palworld: the query probe speaks .*"palworld" is none of them\. For any other game use probe: \{ type: connections \}/],
    [['--type', 'minecraftbee', '--host', 'mc.example.com', '--port', '19132'], /--type minecraftbee: .*did you mean "minecraftbe"\?/],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const { io, out, err } = captureIo();
    const status = await main(['probe', ...args], io);

    expect(status).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(message);
    expect(err.join('\n')).toContain('usage: gm probe --host <host> --port <port>');
  });

  it('prints one JSON line with the players and latency of an answer', async () => {
    const calls: unknown[] = [];
    const query: QueryPlayers = async (request) => {
      calls.push(request);
      return { players: 3, latencyMs: 41.6 };
    };
    const { io, out } = captureIo();
    const status = await runProbe(['--host', '192.0.2.10', '--port', '25565', '--timeout', '900'], io, async () => query);

    expect(status).toBe(0);
    expect(out).toEqual(['{"reachable":true,"players":3,"latencyMs":42}']);
    expect(calls).toEqual([{ type: 'minecraft', host: '192.0.2.10', port: 25565, timeoutMs: 900 }]);
  });

  it('keeps a failure on one JSON line even when the error has several', async () => {
    const query: QueryPlayers = async () => {
      throw new Error('Failed all 1 attempts\n  ECONNREFUSED 192.0.2.10:25565');
    };
    const { io, out } = captureIo();
    const status = await runProbe(['--host', '192.0.2.10', '--port', '25565'], io, async () => query);

    expect(status).toBe(1);
    expect(out).toEqual(['{"reachable":false,"error":"Failed all 1 attempts ECONNREFUSED 192.0.2.10:25565"}']);
  });
});

describe('gm probe in its own process', () => {
  it('prints {"reachable":false,…} and exits 1 when nothing listens on the port', async () => {
    const port = await closedPort();
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(port), '--timeout', '1500']);

    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0] ?? '') as { reachable: boolean; error: string };
    expect(answer.reachable).toBe(false);
    expect(answer.error).toContain(`127.0.0.1:${port}`);
  });

  it('exits 2 with the usage when --host is missing', async () => {
    const run = await runCli(['probe', '--port', '25565']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('gm probe: --host is required');
  });

  describe('against a Minecraft 1.20.1 server', () => {
    let minecraft: MinecraftServer;

    beforeAll(async () => {
      minecraft = await startMinecraftServer();
    });

    afterAll(() => minecraft.close());

    async function join(username: string): Promise<void> {
      await minecraft.join(username);
    }

    async function probe() {
      const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(minecraft.port), '--timeout', '3000']);
      return { code: run.code, answer: JSON.parse(run.stdout) as { reachable: boolean; players: number; latencyMs: number } };
    }

    it('reports the true player count: 0, then 2 after two players join', async () => {
      const empty = await probe();
      expect(empty.code).toBe(0);
      expect(empty.answer).toEqual({ reachable: true, players: 0, latencyMs: expect.any(Number) });

      await join('alice');
      await join('bob');
      const two = await probe();
      expect(two.code).toBe(0);
      expect(two.answer).toMatchObject({ reachable: true, players: 2 });
    });
  });
});

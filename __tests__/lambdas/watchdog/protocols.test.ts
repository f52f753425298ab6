/**
 * The query probe's own protocol code against fake game servers that answer
 * byte for byte as the real ones do (Steam A2S, Minecraft Bedrock RakNet).
 * Each fake is first checked with gamedig, the reference implementation the
 * watchdog used to load, so the fakes are real enough and both read the same.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { GameDig } from 'gamedig';
import { decodeVarInt, encodeVarInt, javaStatusPlayers } from '../../../src/lambdas/watchdog/probes/protocols/minecraft';
import { humanPlayers, parseInfo } from '../../../src/lambdas/watchdog/probes/protocols/valve';
import { probeByQuery, queryPlayers } from '../../../src/lambdas/watchdog/probes/query';

const HOST = '127.0.0.1';
const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');

interface FakeServer {
  readonly port: number;
  readonly received: Buffer[];
  close(): Promise<void>;
}

/** A UDP server answering each datagram with what `answer` returns (nothing for undefined). */
async function udpServer(answer: (request: Buffer) => Buffer | undefined): Promise<FakeServer> {
  const socket: Socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (request, from) => {
    received.push(request);
    const reply = answer(request);
    if (reply) socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  return { port: (socket.address() as AddressInfo).port, received, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

// ------------------------------------------------------------------ Steam A2S

interface SteamServer {
  readonly players: number;
  readonly bots: number;
  readonly appId?: number;
  readonly keywords?: string;
  /** Demand a challenge first, as servers have since December 2020. */
  readonly challenge?: boolean;
  readonly names?: readonly string[];
}

const CHALLENGE = Buffer.from([0x11, 0x22, 0x33, 0x44]);

function a2sInfo(s: SteamServer): Buffer {
  // The short id holds the low 16 bits of the app id; the game id at the end holds it whole.
  const appId = Buffer.alloc(2);
  appId.writeUInt16LE((s.appId ?? 0) & 0xffff);
  const gameId = Buffer.alloc(8);
  gameId.writeUInt32LE(s.appId ?? 0);
  const port = Buffer.alloc(2);
  port.writeUInt16LE(2456);
  const flags = 0x80 | 0x10 | (s.keywords ? 0x20 : 0) | 0x01;
  return Buffer.concat([
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0x49, 17]),
    cstring('A test server'), cstring('map'), cstring('folder'), cstring('Game'),
    appId,
    Buffer.from([s.players, 10, s.bots, 0x64, 0x6c, 0, 0]),
    cstring('1.0.0'),
    Buffer.from([flags]),
    port,
    Buffer.alloc(8, 7), // Steam id
    ...(s.keywords ? [cstring(s.keywords)] : []),
    gameId,
  ]);
}

function a2sPlayers(names: readonly string[]): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0x44, names.length]),
    ...names.flatMap((name, i) => {
      const score = Buffer.alloc(8);
      score.writeInt32LE(i, 0);
      score.writeFloatLE(60 + i, 4);
      return [Buffer.from([i]), cstring(name), score];
    }),
  ]);
}

function steamServer(s: SteamServer): Promise<FakeServer> {
  return udpServer((request) => {
    const type = request[4];
    const challenge = type === 0x54 ? request.subarray(request.indexOf(0, 5) + 1) : request.subarray(5, 9);
    if (s.challenge && !challenge.equals(CHALLENGE)) return Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff, 0x41]), CHALLENGE]);
    if (type === 0x54) return a2sInfo(s);
    if (type === 0x55) return a2sPlayers(s.names ?? []);
    return undefined;
  });
}

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function started(server: Promise<FakeServer>): Promise<FakeServer> {
  const s = await server;
  servers.push(s);
  return s;
}

describe('Steam A2S_INFO', () => {
  it('reads the players of a server that demands a challenge first, as gamedig does', async () => {
    const server = await started(steamServer({ players: 3, bots: 0, challenge: true, names: ['ann', 'bob', 'cid'] }));

    const reference = await GameDig.query({ type: 'valheim', host: HOST, port: server.port, givenPortOnly: true, maxRetries: 1, socketTimeout: 1000 });
    expect(reference.numplayers).toBe(3);

    server.received.length = 0;
    await expect(queryPlayers({ type: 'valheim', host: HOST, port: server.port, timeoutMs: 2000 })).resolves.toEqual({ players: 3, latencyMs: expect.any(Number) });
    // The query, then the query again with the challenge.
    expect(server.received.map((r) => r.toString('hex'))).toEqual([
      Buffer.from('ffffffff54536f7572636520456e67696e6520517565727900', 'hex').toString('hex'),
      Buffer.concat([Buffer.from('ffffffff54536f7572636520456e67696e6520517565727900', 'hex'), CHALLENGE]).toString('hex'),
    ]);
  });

  it('counts humans: bots playing alone are nobody (gamedig counts them as players)', async () => {
    const server = await started(steamServer({ players: 5, bots: 2, names: ['ann', 'bob', 'cid', 'bot1', 'bot2'] }));

    const reference = await GameDig.query({ type: 'counterstrike2', host: HOST, port: server.port, givenPortOnly: true, maxRetries: 1, socketTimeout: 1000 });
    expect(reference.numplayers).toBe(5);
    await expect(queryPlayers({ type: 'counterstrike2', host: HOST, port: server.port, timeoutMs: 2000 })).resolves.toMatchObject({ players: 3 });
  });

  it('takes Rust\'s own count from its `cp` keyword, as gamedig does', async () => {
    const server = await started(steamServer({ players: 0, bots: 0, appId: 252490, keywords: 'mp50,cp7,qp0,v2500' }));

    const reference = await GameDig.query({ type: 'rust', host: HOST, port: server.port, givenPortOnly: true, maxRetries: 1, socketTimeout: 1000 });
    expect(reference.numplayers).toBe(7);
    await expect(queryPlayers({ type: 'rust', host: HOST, port: server.port, timeoutMs: 2000 })).resolves.toMatchObject({ players: 7 });
  });

  it('a truncated answer is a probe error, never a count', async () => {
    const server = await started(udpServer(() => a2sInfo({ players: 3, bots: 0 }).subarray(0, 20)));

    await expect(probeByQuery({ type: 'valheim', host: HOST, port: server.port, timeoutMs: 1000 })).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('malformed A2S_INFO answer'),
    });
  });

  it('a server that answers challenges forever is a probe error', async () => {
    let n = 0;
    const server = await started(udpServer(() => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x41, n++, 0, 0, 0])));

    await expect(probeByQuery({ type: 'valheim', host: HOST, port: server.port, timeoutMs: 1000 })).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('sent 4 challenges in a row'),
    });
  });

  it('a silent server is a probe error naming the query and address', async () => {
    const server = await started(udpServer(() => undefined));

    await expect(probeByQuery({ type: 'valheim', host: HOST, port: server.port, timeoutMs: 300 })).resolves.toEqual({
      ok: false,
      error: `Error: no answer to the valheim query at ${HOST}:${server.port} within 300 ms (timed out after 300 ms); check that the game is up and that the port is the query port`,
    });
  });

  it('parses the optional parts of the answer in order', () => {
    const info = parseInfo(a2sInfo({ players: 4, bots: 1, appId: 252490, keywords: 'a,cp2' }).subarray(5));
    expect(info).toEqual({ players: 4, bots: 1, appId: 252490, keywords: 'a,cp2' });
    expect(humanPlayers(info)).toBe(2);
    expect(humanPlayers({ players: 1, bots: 3, appId: 1 })).toBe(0);
  });
});

// ------------------------------------------------------------------ Minecraft

function bedrockPong(ping: Buffer, status: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(Buffer.byteLength(status));
  return Buffer.concat([
    Buffer.from([0x1c]),
    ping.subarray(1, 9), // the ping's time, echoed
    Buffer.from('b7ed3d2ef3ab4c31', 'hex'), // server GUID
    Buffer.from('00ffff00fefefefefdfdfdfd12345678', 'hex'),
    length,
    Buffer.from(status, 'utf8'),
  ]);
}

describe('Minecraft Bedrock RakNet ping', () => {
  const STATUS = 'MCPE;Dedicated Server;589;1.20.0;2;10;13253860892328930865;Bedrock level;Survival;1;19132;19133;';

  it('reads the player count of the pong, as gamedig does', async () => {
    const server = await started(udpServer((ping) => (ping[0] === 0x01 ? bedrockPong(ping, STATUS) : undefined)));

    const reference = await GameDig.query({ type: 'mbe', host: HOST, port: server.port, givenPortOnly: true, maxRetries: 1, socketTimeout: 500, attemptTimeout: 3000 });
    expect(reference.numplayers).toBe(2);
    await expect(queryPlayers({ type: 'mbe', host: HOST, port: server.port, timeoutMs: 2000 })).resolves.toMatchObject({ players: 2 });
    // Old id, and the `minecraft` id that also asks Bedrock.
    await expect(queryPlayers({ type: 'minecraftbe', host: HOST, port: server.port, timeoutMs: 2000 })).resolves.toMatchObject({ players: 2 });
    await expect(queryPlayers({ type: 'minecraft', host: HOST, port: server.port, timeoutMs: 2000 })).resolves.toMatchObject({ players: 2 });
  });

  it('ignores a pong to another ping, and a status without a count is a probe error', async () => {
    const stray = await started(udpServer((ping) => bedrockPong(Buffer.concat([ping.subarray(0, 1), Buffer.alloc(8, 9)]), STATUS)));
    await expect(probeByQuery({ type: 'mbe', host: HOST, port: stray.port, timeoutMs: 300 })).resolves.toMatchObject({ ok: false, error: expect.stringContaining('timed out') });

    const broken = await started(udpServer((ping) => bedrockPong(ping, 'MCPE;Dedicated Server;589')));
    await expect(probeByQuery({ type: 'mbe', host: HOST, port: broken.port, timeoutMs: 1000 })).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('malformed Bedrock answer'),
    });
  });
});

describe('Minecraft Java status answer', () => {
  const statusPacket = (json: string) => {
    const text = Buffer.from(json, 'utf8');
    const body = Buffer.concat([encodeVarInt(0), encodeVarInt(text.length), text]);
    return Buffer.concat([encodeVarInt(body.length), body]);
  };

  it('VarInts round-trip', () => {
    for (const n of [0, 1, 127, 128, 255, 25565, 2097151, 2147483647]) expect(decodeVarInt(encodeVarInt(n))).toEqual({ value: n, bytes: encodeVarInt(n).length });
    expect(decodeVarInt(Buffer.from([0x80]))).toBeUndefined();
  });

  it('waits for the whole packet, then counts online players (or the sample, when larger)', () => {
    const packet = statusPacket('{"players":{"online":2,"max":20,"sample":[{"name":"a"},{"name":"b"},{"name":"c"}]}}');
    expect(javaStatusPlayers(packet.subarray(0, 10))).toBeUndefined();
    expect(javaStatusPlayers(packet)).toBe(3);
    expect(javaStatusPlayers(statusPacket('{"players":{"online":5,"max":20}}'))).toBe(5);
  });

  it.each([
    ['not JSON', statusPacket('{"players":'), 'the status is not JSON'],
    ['without a count', statusPacket('{"description":"hi"}'), 'no players.online'],
  ])('a status %s is an error, never a count', (_label, packet, message) => {
    expect(() => javaStatusPlayers(packet)).toThrow(message);
  });
});

describe('games the query probe does not speak', () => {
  it('are refused with what to do instead', async () => {
    await expect(probeByQuery({ type: 'palworld', host: HOST, port: 8212, timeoutMs: 1000 })).resolves.toEqual({
      ok: false,
      error: expect.stringMatching(/UnknownQueryGameError: the query probe does not speak the query of game "palworld".*use the probe type "connections"/),
    });
  });
});

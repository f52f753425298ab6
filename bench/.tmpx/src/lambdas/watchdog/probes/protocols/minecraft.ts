/**
 * Minecraft's own status queries, as gamedig's `minecraft` protocol asks them:
 * - Java Edition: the server-list ping over TCP (handshake with next state
 *   "status", then a status request; the answer is JSON with `players.online`);
 * - Bedrock Edition: RakNet's unconnected ping over UDP (the answer is a
 *   `;`-separated status line whose fifth field is the player count).
 * Both are sent at once; the first that answers counts (a Java server does not
 * speak UDP RakNet, and a Bedrock port refuses TCP).
 */
import { tcpExchange, udpExchange } from './exchange';

/** The protocol version sent in the handshake; any version gets a status answer. */
const HANDSHAKE_PROTOCOL_VERSION = 47;

export function encodeVarInt(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return Buffer.from(bytes);
}

/** The value and the bytes it took, or undefined when `buffer` ends inside the number. */
export function decodeVarInt(buffer: Buffer, offset = 0): { value: number; bytes: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = buffer[offset + i];
    if (byte === undefined) return undefined;
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return { value: value >>> 0, bytes: i + 1 };
  }
  throw new Error('malformed Minecraft answer: a VarInt longer than 5 bytes');
}

function packet(id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat([encodeVarInt(id), payload]);
  return Buffer.concat([encodeVarInt(body.length), body]);
}

export function javaStatusRequest(host: string, port: number): Buffer {
  const address = Buffer.from(host, 'utf8');
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  const handshake = Buffer.concat([encodeVarInt(HANDSHAKE_PROTOCOL_VERSION), encodeVarInt(address.length), address, portBytes, encodeVarInt(1)]);
  return Buffer.concat([packet(0, handshake), packet(0)]);
}

/** The status JSON's player count once the whole status packet arrived; undefined while it has not. */
export function javaStatusPlayers(received: Buffer): number | undefined {
  const length = decodeVarInt(received);
  if (!length || received.length < length.bytes + length.value) return undefined;
  const body = received.subarray(length.bytes, length.bytes + length.value);
  const id = decodeVarInt(body);
  if (!id || id.value !== 0) throw new Error(`malformed Minecraft answer: packet id ${id?.value ?? 'missing'}, expected 0 (status)`);
  const text = decodeVarInt(body, id.bytes);
  if (!text) throw new Error('malformed Minecraft answer: no status text');
  const start = id.bytes + text.bytes;
  let status: { players?: { online?: unknown; sample?: unknown } };
  try {
    status = JSON.parse(body.toString('utf8', start, start + text.value)) as typeof status;
  } catch {
    throw new Error('malformed Minecraft answer: the status is not JSON');
  }
  const online = status.players?.online;
  if (typeof online !== 'number' || !Number.isInteger(online) || online < 0) throw new Error('malformed Minecraft answer: no players.online');
  // A sample of names (up to 12) is sent too; a server that hides the count still lists them.
  const sample = Array.isArray(status.players?.sample) ? status.players.sample.length : 0;
  return Math.max(online, sample);
}

export function queryJava(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  return tcpExchange(host, port, javaStatusRequest(host, port), javaStatusPlayers, timeoutMs, signal);
}

const RAKNET_MAGIC = Buffer.from('00ffff00fefefefefdfdfdfd12345678', 'hex');
const UNCONNECTED_PING = 0x01;
const UNCONNECTED_PONG = 0x1c;

export function bedrockPing(nonce: Buffer): Buffer {
  return Buffer.concat([Buffer.from([UNCONNECTED_PING]), nonce, RAKNET_MAGIC, Buffer.alloc(8)]);
}

/** The player count of an unconnected pong answering `nonce`; undefined for another datagram. */
export function bedrockPongPlayers(message: Buffer, nonce: Buffer): number | undefined {
  // id (1), the ping's time (8), server GUID (8), magic (16), status length (2), status.
  if (message.length < 35 || message[0] !== UNCONNECTED_PONG) return undefined;
  if (!message.subarray(1, 9).equals(nonce) || !message.subarray(17, 33).equals(RAKNET_MAGIC)) return undefined;
  const length = message.readUInt16BE(33);
  const status = message.toString('utf8', 35, 35 + length).split(';');
  // MCPE;<motd>;<protocol>;<version>;<players>;<max players>;…
  const players = Number(status[4]);
  if (status.length < 6 || !Number.isInteger(players) || players < 0) throw new Error('malformed Bedrock answer: no player count in the status');
  return players;
}

export function queryBedrock(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  const nonce = Buffer.alloc(8);
  nonce.writeBigUInt64BE(BigInt(Date.now()));
  return udpExchange<number>(host, port, bedrockPing(nonce), (message) => {
    const players = bedrockPongPlayers(message, nonce);
    return players === undefined ? undefined : { done: players };
  }, timeoutMs, signal);
}

/** The player count from whichever edition answers first; when neither does, both errors. */
export async function queryMinecraft(host: string, port: number, timeoutMs: number): Promise<number> {
  const loser = new AbortController();
  try {
    return await Promise.any([queryJava(host, port, timeoutMs, loser.signal), queryBedrock(host, port, timeoutMs, loser.signal)]);
  } catch (e) {
    const [java, bedrock] = (e as AggregateError).errors as Error[];
    throw new Error(`Java: ${java?.message}; Bedrock: ${bedrock?.message}`);
  } finally {
    loser.abort(); // closes the socket still waiting, so nothing outlives the probe
  }
}

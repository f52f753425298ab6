/**
 * Steam's server query A2S_INFO over UDP, as gamedig's `valve` protocol asks
 * it (https://developer.valvesoftware.com/wiki/Server_queries): send
 * "Source Engine Query", answer a challenge (S2C_CHALLENGE, servers since
 * 2020) by sending the query again with the challenge appended, and read the
 * player and bot counts from the info answer.
 *
 * Players are the humans: the info answer counts bots as players, and a
 * server whose bots play alone is idle.
 */
import { udpExchange } from './exchange';

const SINGLE_PACKET = -1;
const SPLIT_PACKET = -2;
const S2A_INFO = 0x49;
const S2C_CHALLENGE = 0x41;
const A2S_INFO_PAYLOAD = Buffer.from('TSource Engine Query\0', 'latin1');
/** A server asking for one challenge after another would never answer. */
const MAX_CHALLENGES = 3;
const RUST_APP_ID = 252490;
const THE_SHIP_APP_ID = 2400;

export function infoRequest(challenge?: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), A2S_INFO_PAYLOAD, challenge ?? Buffer.alloc(0)]);
}

export interface ValveInfo {
  readonly players: number;
  readonly bots: number;
  readonly appId: number;
  readonly keywords?: string;
}

/** Reads A2S_INFO's answer (after the header and type byte). Throws on a truncated or malformed answer. */
export function parseInfo(body: Buffer): ValveInfo {
  let offset = 0;
  const need = (bytes: number) => {
    if (offset + bytes > body.length) throw new Error('malformed A2S_INFO answer: truncated');
  };
  const byte = () => {
    need(1);
    return body.readUInt8(offset++);
  };
  const text = () => {
    const end = body.indexOf(0, offset);
    if (end < 0) throw new Error('malformed A2S_INFO answer: unterminated string');
    const value = body.toString('utf8', offset, end);
    offset = end + 1;
    return value;
  };
  const skip = (bytes: number) => {
    need(bytes);
    offset += bytes;
  };

  byte(); // protocol
  text(); // name
  text(); // map
  text(); // folder
  text(); // game
  need(2);
  const appId = body.readUInt16LE(offset);
  offset += 2;
  const players = byte();
  byte(); // max players
  const bots = byte();
  skip(4); // server type, environment, visibility, VAC
  if (appId === THE_SHIP_APP_ID) skip(3);
  if (offset >= body.length) return { players, bots, appId };
  text(); // version
  if (offset >= body.length) return { players, bots, appId };
  const flags = byte();
  if (flags & 0x80) skip(2); // game port
  if (flags & 0x10) skip(8); // Steam id
  if (flags & 0x40) {
    skip(2); // SourceTV port
    text(); // SourceTV name
  }
  const keywords = flags & 0x20 ? text() : undefined;
  // The short id above holds only the low 16 bits; the game id holds the whole app id (Rust's 252490) in its low 24.
  let fullAppId = appId;
  if (flags & 0x01) {
    need(8);
    fullAppId = (body.readUInt32LE(offset) & 0xffffff) || appId;
    offset += 8;
  }
  return { players, bots, appId: fullAppId, ...(keywords !== undefined ? { keywords } : {}) };
}

/** Humans playing: players minus bots, or Rust's own count (its `cp` keyword) when it sends one. */
export function humanPlayers(info: ValveInfo): number {
  if (info.appId === RUST_APP_ID && info.keywords) {
    const current = info.keywords.split(',').find((k) => /^cp\d+$/.test(k));
    if (current) return Number(current.slice(2));
  }
  return Math.max(0, info.players - info.bots);
}

export function queryValve(host: string, port: number, timeoutMs: number): Promise<number> {
  let challenges = 0;
  return udpExchange<number>(host, port, infoRequest(), (message) => {
    if (message.length < 5) return undefined;
    const header = message.readInt32LE(0);
    if (header === SPLIT_PACKET) throw new Error('A2S_INFO answer split over several packets, which the watchdog does not read');
    if (header !== SINGLE_PACKET) return undefined;
    const type = message.readUInt8(4);
    if (type === S2C_CHALLENGE && message.length >= 9) {
      if (++challenges > MAX_CHALLENGES) throw new Error(`A2S_INFO: the server sent ${challenges} challenges in a row`);
      return { send: infoRequest(message.subarray(5, 9)) };
    }
    if (type !== S2A_INFO) return undefined;
    return { done: humanPlayers(parseInfo(message.subarray(5))) };
  }, timeoutMs);
}

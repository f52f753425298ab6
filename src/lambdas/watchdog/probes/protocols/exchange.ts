/**
 * One request/answer exchange with a game server, over TCP or UDP, bounded by
 * a timeout (or given up through `signal`); the socket is always closed
 * afterwards. The protocols only say what to send and when an answer is complete.
 */
import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';

export class QueryTimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'QueryTimeoutError';
  }
}

/**
 * Settles an exchange exactly once: the first of an answer, an error, the
 * timeout or `signal` wins; the timer, the abort listener and the socket
 * (`close`) are released then.
 */
function bounded<T>(
  resolve: (value: T) => void,
  reject: (error: Error) => void,
  close: () => void,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): (error: Error | undefined, value?: T) => void {
  let settled = false;
  const finish = (error: Error | undefined, value?: T) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    close();
    if (error) reject(error);
    else resolve(value as T);
  };
  const timer = setTimeout(() => finish(new QueryTimeoutError(timeoutMs)), timeoutMs);
  const abort = () => finish(new Error('abandoned: another query answered first'));
  signal?.addEventListener('abort', abort);
  return finish;
}

/**
 * Connects, sends `request`, and feeds everything received so far to
 * `complete` until it returns a value (undefined: not complete yet).
 * `complete` may throw on a malformed answer.
 */
export function tcpExchange<T>(
  host: string,
  port: number,
  request: Buffer,
  complete: (received: Buffer) => T | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const finish = bounded(resolve, reject, () => socket.destroy(), timeoutMs, signal);
    socket.once('error', (e) => finish(e));
    socket.once('close', () => finish(new Error(`connection closed after ${received.length} bytes, before a complete answer`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const value = complete(received);
        if (value !== undefined) finish(undefined, value);
      } catch (e) {
        finish(e as Error);
      }
    });
    socket.connect({ host, port }, () => socket.write(request));
  });
}

/** What to do with one datagram: ignore it (undefined), answer it (`send`, e.g. a challenge), or finish. */
export type UdpStep<T> = { readonly done: T } | { readonly send: Buffer } | undefined;

/** Sends `request` and handles each datagram with `onMessage` until it says done. */
export function udpExchange<T>(
  host: string,
  port: number,
  request: Buffer,
  onMessage: (message: Buffer) => UdpStep<T>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    const finish = bounded(resolve, reject, () => socket.close(), timeoutMs, signal);
    const send = (message: Buffer) => {
      try {
        socket.send(message, (e) => e && finish(e));
      } catch (e) {
        finish(e as Error); // a socket that is not connected throws instead of calling back
      }
    };
    socket.once('error', (e) => finish(e));
    socket.on('message', (message: Buffer) => {
      try {
        const step = onMessage(message);
        if (step && 'done' in step) finish(undefined, step.done);
        else if (step) send(step.send);
      } catch (e) {
        finish(e as Error);
      }
    });
    // Connected, so a port nothing listens on fails at once (ICMP port unreachable) instead of at the timeout.
    // A name that does not resolve calls back with the error (and never connects): sending then would throw.
    socket.connect(port, host, ((e?: Error) => (e ? finish(e) : send(request))) as () => void);
  });
}

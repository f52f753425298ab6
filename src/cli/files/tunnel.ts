/**
 * The SSH tunnel: a Session Manager port-forwarding session from a free port
 * on 127.0.0.1 to the host's port 22, carried by the plugin. Nothing is open
 * on the host to the internet; AWS authenticates both ends.
 */
import { createServer, connect } from 'node:net';
import type { Clock } from '../../lambdas/shared/poll';
import type { CliIo } from '../io';
import { waitWithProgress } from '../progress';
import { startPluginSession, type PluginSession } from '../session-manager/session';

export const SSH_PORT = 22;
const PORT_POLL_INTERVAL_MS = 250;
const PORT_TIMEOUT_MS = 45_000;

/** A port nobody listens on now (the system picks it). */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a connection on 127.0.0.1:port now. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
  });
}

export type TunnelOutcome =
  | { readonly outcome: 'open'; readonly localPort: number; readonly session: PluginSession }
  | { readonly outcome: 'interrupted' }
  | { readonly outcome: 'failed'; readonly reason: string };

export async function openTunnel(options: {
  readonly io: CliIo;
  readonly clock?: Clock;
  readonly plugin: string;
  readonly instanceId: string;
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
}): Promise<TunnelOutcome> {
  const localPort = await freeLocalPort();
  const session = await startPluginSession({
    plugin: options.plugin,
    region: options.region,
    request: {
      Target: options.instanceId,
      DocumentName: 'AWS-StartPortForwardingSession',
      Parameters: { portNumber: [String(SSH_PORT)], localPortNumber: [String(localPort)] },
    },
    env: options.env,
    stdio: 'pipe',
    // On Windows a detached child would get a console window of its own.
    detached: process.platform !== 'win32',
  });
  let exitCode: number | null | undefined;
  void session.exited.then((code) => (exitCode = code));
  const waited = await waitWithProgress({
    io: options.io,
    ...(options.clock ? { clock: options.clock } : {}),
    label: `opening a tunnel to ${options.instanceId}`,
    intervalMs: PORT_POLL_INTERVAL_MS,
    timeoutMs: PORT_TIMEOUT_MS,
    read: async () => (exitCode !== undefined ? 'ended' : (await portAccepts(localPort)) ? 'open' : 'waiting for the plugin'),
    describe: (state) => state,
    isDone: (state) => state !== 'waiting for the plugin',
  });
  if (waited.outcome === 'done' && waited.value === 'open') return { outcome: 'open', localPort, session };
  await session.close();
  if (waited.outcome === 'interrupted') return { outcome: 'interrupted' };
  const said = session.output();
  return {
    outcome: 'failed',
    reason: waited.outcome === 'timeout'
      ? `the tunnel to ${options.instanceId} did not open within ${PORT_TIMEOUT_MS / 1000} s${said ? ` (the plugin said: ${said})` : ''}`
      : `the Session Manager plugin ended before the tunnel opened${said ? `: ${said}` : ''}`,
  };
}

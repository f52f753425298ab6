/**
 * A real Minecraft Java server (minecraft-protocol's server, the real
 * protocol on 127.0.0.1) and offline-mode players joining and leaving it, so
 * the watchdog's query probe and `gm probe` count real players over the
 * network; and a port where nothing listens.
 */
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createClient, createServer, type Client, type Server, type ServerClient } from 'minecraft-protocol';

export const MINECRAFT_VERSION = '1.20.1';
export const LOCALHOST = '127.0.0.1';

export interface Player {
  readonly client: Client;
  /** The server's side of the connection. */
  readonly onServer: ServerClient;
}

export interface MinecraftServer {
  readonly server: Server;
  readonly port: number;
  /** Connects a player and resolves once the server has counted it. */
  join(username: string): Promise<Player>;
  /** Disconnects the player and resolves once the server has stopped counting it. */
  leave(player: Player): Promise<void>;
  /** Disconnects every player still on and closes the server. */
  close(): Promise<void>;
}

/** A port on 127.0.0.1 with nothing listening on it: bound by the system, then released. */
export async function closedPort(): Promise<number> {
  const probe: TcpServer = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, LOCALHOST, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts the server on `port` (default: one the system picks) and resolves once it listens. */
export async function startMinecraftServer(options: { readonly port?: number } = {}): Promise<MinecraftServer> {
  const server = createServer({
    'online-mode': false,
    host: LOCALHOST,
    port: options.port ?? 0,
    version: MINECRAFT_VERSION,
    motd: 'GameManagement test',
    // A simulated clock may jump whole minutes (the loop's watchdog runs); the
    // server's keep-alive check reads the clock and would take each jump for a dead player.
    keepAlive: false,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  // minecraft-protocol's typings do not declare the TCP server it listens with;
  // it is the only way to learn the port the system chose for port 0.
  const tcp = (server as unknown as { socketServer: TcpServer }).socketServer;
  const port = (tcp.address() as AddressInfo).port;
  const players = new Set<Player>();

  async function join(username: string): Promise<Player> {
    const counted = new Promise<ServerClient>((resolve) => {
      const onLogin = (onServer: ServerClient) => {
        if (onServer.username !== username) return;
        server.off('login', onLogin);
        resolve(onServer);
      };
      // 'login' is emitted right after the server adds the player to its count.
      server.on('login', onLogin);
    });
    const client = createClient({ username, host: LOCALHOST, port, version: MINECRAFT_VERSION, auth: 'offline' });
    client.on('error', () => undefined); // a disconnect at teardown is expected
    const player = { client, onServer: await counted };
    players.add(player);
    return player;
  }

  async function leave(player: Player): Promise<void> {
    players.delete(player);
    if (player.onServer.ended) return;
    // The server lowers its count when its side of the connection ends.
    const uncounted = new Promise<void>((resolve) => player.onServer.once('end', () => resolve()));
    // Ending an already ended client would leave a 30 s timer behind.
    if (!player.client.ended) player.client.end('bye');
    await uncounted;
  }

  async function close(): Promise<void> {
    await Promise.all([...players].map(leave));
    const closed = new Promise<void>((resolve) => tcp.once('close', () => resolve()));
    server.close();
    await closed;
  }

  return { server, port, join, leave, close };
}

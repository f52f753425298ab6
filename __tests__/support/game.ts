/**
 * The game every function test and the loop simulation run against, made the
 * way synth makes it: a `games.<id>` entry of the configuration, validated
 * and resolved by the real config code (src/config/load.ts), turned into the
 * functions' `RuntimeGame` and the waker's route by the constructs' own
 * `runtimeGame()` and `wakeRoute()`, with the constructs' resource names
 * (src/constructs/game/runtime-game.ts). A function gets its part of it with
 * `gameView(fn, game)` (src/runtime/game.ts) or, as its environment, with
 * `functionEnvironment(fn, game)`.
 *
 * So a test can never hold a game synth could not produce, and a renamed or
 * new field reaches every suite from here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load';
import type { GameConfig } from '../../src/config/resolve';
import { runtimeGame, wakeRoute } from '../../src/constructs/game/runtime-game';
import { gameResourceNames, type GameResourceNames } from '../../src/runtime/names';
import { gameFunctionEnvironment } from '../../src/runtime/env';
import { gameView, type GameFunction, type GameView, type RuntimeGame } from '../../src/runtime/game';
import { ROUTES_FILE, type WakeRoute } from '../../src/runtime/routes';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
/** The `name` of the configuration: first part of every resource name. */
export const PREFIX = 'gm';
export const DOMAIN = 'example.com';
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:gm-alerts`;

/** What a test says about its game, in the configuration's terms (`games.<id>` of gamemanagement.yaml). */
export interface TestGameOptions {
  /** Default `mc`. */
  readonly id?: string;
  /** Name below example.com; default the id. */
  readonly hostname?: string;
  /** Default 25565/tcp (Minecraft Java) and 19132/udp (Bedrock through Geyser). */
  readonly ports?: readonly { readonly port: number; readonly protocol?: 'tcp' | 'udp' }[];
  /** The SRV record `_minecraft._tcp.<fqdn>` on the first TCP port; default true. */
  readonly srv?: boolean;
  /** Default SRV when the game has the SRV record, else A and AAAA (the configuration's default). */
  readonly wakeOn?: readonly string[];
  /** Default `connections`. A query probe's port defaults to the first port, as in the configuration. */
  readonly probe?: { readonly type: 'query'; readonly game: string; readonly port?: number } | { readonly type: 'connections' } | { readonly type: 'traffic'; readonly bytesPerMinute: number };
  /** Default 10. */
  readonly idleMinutes?: number;
  /** Default 15. */
  readonly startupMinutes?: number;
  /** Default 8. */
  readonly maxHours?: number;
  readonly stopAfterMaxHours?: boolean;
  readonly spot?: boolean;
  /** `network.ipv6`: the game gets AAAA records. */
  readonly ipv6?: boolean;
  /**
   * Not a configuration key (synth derives it: 120 s, 90 s on spot); for a
   * simulation that wants the container's save to take less.
   */
  readonly stopTimeoutSeconds?: number;
}

export interface TestGame {
  /** The game as the configuration resolves it. */
  readonly config: GameConfig;
  readonly names: GameResourceNames;
  /** What the per-game functions are told (each gets its `gameView`). */
  readonly game: RuntimeGame;
  /** The waker's route to it (routes.json). */
  readonly route: WakeRoute;
}

const DEFAULT_PORTS = [{ port: 25565, protocol: 'tcp' }, { port: 19132, protocol: 'udp' }] as const;

export function testGame(o: TestGameOptions = {}): TestGame {
  const id = o.id ?? 'mc';
  const ports = (o.ports ?? DEFAULT_PORTS).map(({ port, protocol }) => ({ port, protocol: protocol ?? 'tcp' }));
  const srv = o.srv ?? true;
  const watchdog = {
    probe: o.probe ?? { type: 'connections' },
    ...(o.idleMinutes !== undefined ? { idleMinutes: o.idleMinutes } : {}),
    ...(o.startupMinutes !== undefined ? { startupMinutes: o.startupMinutes } : {}),
    ...(o.maxHours !== undefined ? { maxHours: o.maxHours } : {}),
    ...(o.stopAfterMaxHours !== undefined ? { stopAfterMaxHours: o.stopAfterMaxHours } : {}),
  };
  const raw = {
    name: PREFIX,
    region: REGION,
    domain: { name: DOMAIN },
    state: { bucket: 'gm-test-state' },
    network: { ipv6: o.ipv6 ?? false },
    games: {
      [id]: {
        ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
        image: 'example/game-server:1',
        instanceType: 't3.medium',
        ports,
        ...(srv ? { srv: { service: 'minecraft', protocol: 'tcp' } } : {}),
        wakeOn: [...(o.wakeOn ?? (srv ? ['SRV'] : ['A', 'AAAA']))],
        ...(o.spot !== undefined ? { spot: o.spot } : {}),
        watchdog,
      },
    },
  };
  const config = parseConfig(raw, `test game ${id}`, {}).games[0]!;
  if (!srv && config.srv) throw new Error(`testGame(${id}): the configuration gives this game an SRV record (${config.srv.name}); srv: false cannot hold`);
  const names = gameResourceNames(PREFIX, id);
  const made = runtimeGame(config, names, ZONE_ID, o.ipv6 ?? false);
  const game: RuntimeGame = o.stopTimeoutSeconds === undefined ? made : { ...made, stopTimeoutSeconds: o.stopTimeoutSeconds };
  return { config, names, game, route: wakeRoute(config, names) };
}

/** The game of the function suites: `mc`, mc.example.com, Minecraft Java with its SRV record and Bedrock, counted by connections. */
export const GAME: RuntimeGame = testGame().game;

/** The part of `game` one function is told. */
export function viewOf<F extends GameFunction>(fn: F, game: RuntimeGame = GAME): GameView<F> {
  return gameView(fn, game);
}

/** The environment the constructs give a game's function (GM_GAME, GM_TOPIC_ARN), and the AWS_REGION Lambda sets. */
export function functionEnvironment(fn: GameFunction, game: RuntimeGame = GAME, topicArn = TOPIC_ARN): NodeJS.ProcessEnv {
  return { ...gameFunctionEnvironment(fn, game, topicArn), AWS_REGION: REGION };
}

/** Writes the waker's routes file (as synth packs it into the waker's zip; `text` for a broken one) in a fresh folder; returns its path. */
export function writeRoutesFile(routes: readonly WakeRoute[] | unknown, text?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gm-routes-')), ROUTES_FILE);
  writeFileSync(file, text ?? JSON.stringify(routes));
  return file;
}

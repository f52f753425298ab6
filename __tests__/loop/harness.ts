/**
 * What the loop simulations share: a game as synth would describe it to its
 * functions (support/game.ts: the configuration resolved, the constructs'
 * `runtimeGame()` and naming), the fake AWS set up for it as deployed, the
 * real handlers given the environment the constructs write (a routes.json
 * for the waker) and the simulated clock, and the CloudWatch Logs events that
 * carry query-log lines to the waker. No test runner needed (the bench runs
 * the traces too).
 */
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { createHandler as createHookHandler } from '../../src/lambdas/instance-hook/handler';
import { createHandler as createWakerHandler } from '../../src/lambdas/waker/handler';
import { createHandler as createWatchdogHandler } from '../../src/lambdas/watchdog/handler';
import type { Clock } from '../../src/lambdas/shared/poll';
import { PLACEHOLDER_IPV4, RECORD_TTL_SECONDS } from '../../src/runtime/dns';
import type { RuntimeGame } from '../../src/runtime/game';
import type { WakeRoute } from '../../src/runtime/routes';
import { logsEvent, queryLine, scheduledEvent } from '../support/events';
import { ACCOUNT, functionEnvironment, PREFIX, REGION, testGame, TOPIC_ARN, writeRoutesFile, ZONE_ID, type TestGameOptions } from '../support/game';
import { FakeAws, type FakeGameSetup, type FakeTiming } from './fake-aws';

export { ACCOUNT, PREFIX, REGION, TOPIC_ARN, ZONE_ID };

export interface LoopGame {
  readonly game: RuntimeGame;
  readonly route: WakeRoute;
}

/** A game of the simulation: as `testGame` (support/game.ts) takes it, with a single TCP port, a shorter start-up (5 min) and save (60 s). */
export interface LoopGameOptions extends Omit<TestGameOptions, 'id' | 'hostname' | 'ports'> {
  readonly id: string;
  /** Default `<id>.example.com`. */
  readonly fqdn?: string;
  /** The game's port (Minecraft Java: an SRV record points at it). */
  readonly port?: number;
}

/** A game as the constructs describe it to its functions, and the waker's route to it. */
export function loopGame(o: LoopGameOptions): LoopGame {
  const fqdn = o.fqdn ?? `${o.id}.example.com`;
  const hostname = fqdn.endsWith('.example.com') ? fqdn.slice(0, -'.example.com'.length) : undefined;
  if (!hostname) throw new Error(`loopGame(${o.id}): ${fqdn} is not in the zone example.com`);
  const { fqdn: _fqdn, port = 25565, ...rest } = o;
  const { game, route } = testGame({
    ...rest,
    hostname,
    ports: [{ port, protocol: 'tcp' }],
    startupMinutes: o.startupMinutes ?? 5,
    stopTimeoutSeconds: o.stopTimeoutSeconds ?? 60,
  });
  return { game, route };
}

export interface FakeAwsOptions {
  readonly now: () => number;
  readonly timing?: Partial<FakeTiming>;
  /** Per game id: its group has a warm pool. */
  readonly warmPool?: readonly string[];
  readonly instanceIpv4?: string;
  /** Task definition revisions of every game (default: 1 ACTIVE). */
  readonly revisions?: FakeGameSetup['service']['revisions'];
  readonly initialRevision?: number;
}

/** The fake AWS as `cdktf deploy` leaves it: groups at 0, services at 0, placeholder records, rules off, state '{}'. */
export function deployedAws(games: readonly LoopGame[], o: FakeAwsOptions): FakeAws {
  return new FakeAws({
    region: REGION,
    account: ACCOUNT,
    now: o.now,
    ...(o.instanceIpv4 ? { instanceIpv4: o.instanceIpv4 } : {}),
    games: games.map(({ game }) => ({
      id: game.id,
      group: {
        name: game.asgName,
        launchHookName: `${PREFIX}-${game.id}-launch`,
        terminateHookName: `${PREFIX}-${game.id}-terminate`,
        spot: game.spot,
        warmPool: o.warmPool?.includes(game.id) ?? false,
      },
      cluster: game.clusterName,
      service: {
        name: game.serviceName,
        taskFamily: game.taskFamily,
        revisions: o.revisions ?? [{ revision: 1, status: 'ACTIVE' }],
        initialRevision: o.initialRevision ?? 1,
        stopTimeoutSeconds: game.stopTimeoutSeconds,
      },
      connectionsDocumentName: game.connectionsDocumentName,
      ipv6: game.ipv6,
      ...(o.timing ? { timing: o.timing } : {}),
    })),
    hostedZoneId: ZONE_ID,
    records: games.flatMap(({ game }) => [
      { name: game.fqdn, type: 'A', ttl: RECORD_TTL_SECONDS, values: [PLACEHOLDER_IPV4] },
      ...(game.srvName ? [{ name: game.srvName, type: 'SRV', ttl: 300, values: [`0 5 ${game.ports[0]?.port ?? 25565} ${game.fqdn}`] }] : []),
    ]),
    parameters: Object.fromEntries(games.map(({ game }) => [game.stateParameterName, '{}'])),
    rules: Object.fromEntries(games.map(({ game }) => [game.watchdogRuleName, 'DISABLED' as const])),
    topicArns: [TOPIC_ARN],
  });
}

export type Handler<R> = (event: unknown) => Promise<R>;
type HookHandler = ReturnType<typeof createHookHandler>;
type WatchdogHandler = ReturnType<typeof createWatchdogHandler>;
type WakerHandler = ReturnType<typeof createWakerHandler>;

export interface LoopFunctions {
  readonly waker: WakerHandler;
  readonly hook: (gameId: string) => HookHandler;
  readonly watchdog: (gameId: string) => WatchdogHandler;
  /** The routes file the waker reads. */
  readonly routesFile: string;
}

/** The real handlers, each with the environment the constructs give it and the simulated clock. */
export function loopFunctions(games: readonly LoopGame[], clock: Clock): LoopFunctions {
  const routesFile = writeRoutesFile(games.map((g) => g.route));
  const waker = createWakerHandler({ env: { GM_GAME_REGION: REGION, GM_TOPIC_ARN: TOPIC_ARN, GM_ROUTES_FILE: routesFile } });
  const hooks = new Map<string, HookHandler>();
  const watchdogs = new Map<string, WatchdogHandler>();
  for (const { game } of games) {
    // With AWS_REGION, as Lambda sets it: the functions' clients and alert texts use it.
    hooks.set(game.id, createHookHandler({ env: functionEnvironment('instance-hook', game), clock }));
    watchdogs.set(game.id, createWatchdogHandler({ env: functionEnvironment('watchdog', game), clock }));
  }
  const pick = <T>(map: Map<string, T>, id: string): T => {
    const found = map.get(id);
    if (!found) throw new Error(`no function for game ${id}`);
    return found;
  };
  return { waker, hook: (id) => pick(hooks, id), watchdog: (id) => pick(watchdogs, id), routesFile };
}

export interface QueryLogLine {
  /** Epoch ms of the lookup. */
  readonly at: number;
  readonly name: string;
  readonly type: string;
  readonly edge?: string;
  readonly resolver?: string;
}

/** The CloudWatch Logs subscription event carrying these Route53 query-log lines, as the waker receives it. */
export function queryLogEvent(lines: readonly QueryLogLine[]): CloudWatchLogsEvent {
  return logsEvent(lines.map((l) => ({ timestamp: l.at, message: queryLine(l.name, l.type, { time: new Date(l.at).toISOString(), ...(l.edge ? { edge: l.edge } : {}), ...(l.resolver ? { resolver: l.resolver } : {}) }) })));
}

/** The event EventBridge sends the watchdog every minute. */
export const SCHEDULED_EVENT = Object.freeze(scheduledEvent());

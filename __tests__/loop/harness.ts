/**
 * What the loop simulations share: a game as synth would describe it to its
 * functions (names from the constructs' own naming), the fake AWS set up for
 * it as deployed, the real handlers given the environment the constructs
 * write (`gameFunctionEnvironment`, a routes.json for the waker) and the
 * simulated clock, and the CloudWatch Logs events that carry query-log lines
 * to the waker. No test runner needed (the bench runs the traces too).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { gameResourceNames } from '../../src/constructs/game/runtime-game';
import { createHandler as createHookHandler } from '../../src/lambdas/instance-hook/handler';
import { createHandler as createWakerHandler } from '../../src/lambdas/waker/handler';
import { createHandler as createWatchdogHandler } from '../../src/lambdas/watchdog/handler';
import type { Clock } from '../../src/lambdas/shared/poll';
import { PLACEHOLDER_IPV4, RECORD_TTL_SECONDS } from '../../src/runtime/dns';
import { gameFunctionEnvironment } from '../../src/runtime/env';
import type { RuntimeGame, RuntimeProbe } from '../../src/runtime/game';
import type { WakeRoute } from '../../src/runtime/routes';
import { FakeAws, type FakeGameSetup, type FakeTiming } from './fake-aws';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:gm-alerts`;
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';
export const PREFIX = 'gm';

export interface LoopGame {
  readonly game: RuntimeGame;
  readonly route: WakeRoute;
}

export interface LoopGameOptions {
  readonly id: string;
  /** Default `<id>.example.com`. */
  readonly fqdn?: string;
  /** The game's port (Minecraft Java: an SRV record points at it). */
  readonly port?: number;
  /** Minecraft-style SRV record `_minecraft._tcp.<fqdn>`; default true. */
  readonly srv?: boolean;
  readonly wakeOn?: readonly string[];
  readonly probe?: RuntimeProbe;
  readonly idleMinutes?: number;
  readonly startupMinutes?: number;
  readonly maxHours?: number;
  readonly stopAfterMaxHours?: boolean;
  readonly stopTimeoutSeconds?: number;
  readonly spot?: boolean;
  readonly ipv6?: boolean;
}

/** A game as the constructs describe it to its functions, and the waker's route to it. */
export function loopGame(o: LoopGameOptions): LoopGame {
  const names = gameResourceNames(PREFIX, o.id);
  const fqdn = o.fqdn ?? `${o.id}.example.com`;
  const port = o.port ?? 25565;
  const srvName = o.srv === false ? undefined : `_minecraft._tcp.${fqdn}`;
  const game: RuntimeGame = {
    id: o.id,
    fqdn,
    hostedZoneId: ZONE_ID,
    ...(srvName ? { srvName } : {}),
    ipv6: o.ipv6 ?? false,
    asgName: names.asg,
    clusterName: names.cluster,
    serviceName: names.service,
    taskFamily: names.taskFamily,
    watchdogRuleName: names.watchdogRule,
    stateParameterName: names.stateParameter,
    sessionParameterName: names.sessionParameter,
    pendingWakeParameterName: names.pendingWakeParameter,
    connectionsDocumentName: names.connectionsDocument,
    logGroupName: names.logGroup,
    ports: [{ port, protocol: 'tcp' }],
    probe: o.probe ?? { type: 'connections' },
    idleMinutes: o.idleMinutes ?? 10,
    startupMinutes: o.startupMinutes ?? 5,
    maxHours: o.maxHours ?? 8,
    stopAfterMaxHours: o.stopAfterMaxHours ?? false,
    stopTimeoutSeconds: o.stopTimeoutSeconds ?? 60,
    spot: o.spot ?? false,
  };
  const route: WakeRoute = {
    id: o.id,
    fqdn,
    names: [fqdn, ...(srvName ? [srvName] : [])].map((n) => n.toLowerCase()),
    wakeOn: [...(o.wakeOn ?? (srvName ? ['SRV'] : ['A', 'AAAA']))],
    asgName: names.asg,
    sessionParameterName: names.sessionParameter,
    pendingWakeParameterName: names.pendingWakeParameter,
  };
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
  const dir = mkdtempSync(join(tmpdir(), 'gm-loop-'));
  const routesFile = join(dir, 'routes.json');
  writeFileSync(routesFile, JSON.stringify(games.map((g) => g.route)));
  const waker = createWakerHandler({ env: { GM_GAME_REGION: REGION, GM_TOPIC_ARN: TOPIC_ARN, GM_ROUTES_FILE: routesFile } });
  const hooks = new Map<string, HookHandler>();
  const watchdogs = new Map<string, WatchdogHandler>();
  for (const { game } of games) {
    // AWS_REGION: Lambda sets it; the functions' clients and alert texts use it.
    hooks.set(game.id, createHookHandler({ env: { ...gameFunctionEnvironment('instance-hook', game, TOPIC_ARN), AWS_REGION: REGION }, clock }));
    watchdogs.set(game.id, createWatchdogHandler({ env: { ...gameFunctionEnvironment('watchdog', game, TOPIC_ARN), AWS_REGION: REGION }, clock }));
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

/**
 * The CloudWatch Logs subscription event carrying Route53 query-log lines, as
 * the waker receives it (base64 of gzip of JSON; lines in the documented
 * format, https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html).
 */
export function queryLogEvent(lines: readonly QueryLogLine[]): CloudWatchLogsEvent {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: ACCOUNT,
    logGroup: `/aws/route53/example.com`,
    logStream: `${ZONE_ID}/FRA6`,
    subscriptionFilters: ['gm-waker'],
    logEvents: lines.map((l, i) => ({
      id: String(i),
      timestamp: l.at,
      message: `1.0 ${new Date(l.at).toISOString()} ${ZONE_ID} ${l.name} ${l.type} NOERROR UDP ${l.edge ?? 'FRA6'} ${l.resolver ?? '198.51.100.7'} -`,
    })),
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

/** The event EventBridge sends the watchdog every minute. */
export const SCHEDULED_EVENT = Object.freeze({
  version: '0',
  id: 'scheduled',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: ACCOUNT,
  region: REGION,
  resources: [],
  detail: {},
});

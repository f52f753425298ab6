/**
 * What the game's functions are told about it at synth: the `RuntimeGame` of
 * the runtime contract (each function gets its own part of it, see
 * src/runtime/env.ts) and the waker's route to it. Names are derived, not
 * read back from resources, so the values are readable in the plan, stable
 * between synths, and can be packed into a zip (routes.json) before any
 * resource exists. The names themselves: src/runtime/names.ts.
 */
import type { GameConfig } from '../../config/resolve';
import { runningHourCost } from '../../cost/running-hour';
import type { RuntimeGame } from '../../runtime/game';
import type { WakeRoute } from '../../runtime/routes';
import type { GameResourceNames } from '../../runtime/names';

/**
 * The price of a running hour as the functions are told it: rounded to a
 * millionth of a dollar (stable between synths, far below what a notice
 * shows); undefined without a region or without a price for it.
 */
export function runtimeUsdPerHour(game: GameConfig, region: string | undefined): number | undefined {
  if (region === undefined) return undefined;
  const cost = runningHourCost(game, region);
  return cost.ok ? Math.round(cost.usdPerHour * 1e6) / 1e6 : undefined;
}

/** `region` (the game's region) lets the functions quote what a session cost; without it they only say how long it ran. */
export function runtimeGame(game: GameConfig, names: GameResourceNames, hostedZoneId: string, ipv6: boolean, region?: string): RuntimeGame {
  const usdPerHour = runtimeUsdPerHour(game, region);
  return {
    id: game.id,
    fqdn: game.fqdn,
    hostedZoneId,
    srvName: game.srv?.name,
    ipv6,
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
    ports: game.ports.map(({ port, protocol }) => ({ port, protocol })),
    probe: game.watchdog.probe,
    idleMinutes: game.watchdog.idleMinutes,
    startupMinutes: game.watchdog.startupMinutes,
    maxHours: game.watchdog.maxHours,
    stopAfterMaxHours: game.watchdog.stopAfterMaxHours,
    stopTimeoutSeconds: game.stopTimeoutSeconds,
    spot: game.spot,
    ...(usdPerHour === undefined ? {} : { usdPerHour }),
  };
}

/** The names that belong to a game (host, SRV name), lower-case and without the trailing dot, as query logs are matched. */
export function wakeNames(game: GameConfig): string[] {
  return [game.fqdn, ...(game.srv ? [game.srv.name] : [])].map((n) => n.toLowerCase().replace(/\.$/, ''));
}

/** The waker's route to a game: only data (no Terraform references), since it is packed into the waker's zip. */
export function wakeRoute(game: GameConfig, names: GameResourceNames): WakeRoute {
  return {
    id: game.id,
    fqdn: game.fqdn,
    names: wakeNames(game),
    wakeOn: [...game.wakeOn],
    asgName: names.asg,
    sessionParameterName: names.sessionParameter,
    pendingWakeParameterName: names.pendingWakeParameter,
  };
}

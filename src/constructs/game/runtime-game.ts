/**
 * The `GM_GAME` value the game's functions read: names of the game's resources
 * and the watchdog settings. Names are derived, not read back from resources,
 * so the JSON is readable in the plan and stable between synths.
 */
import type { GameConfig } from '../../config/resolve';
import type { RuntimeGame } from '../../runtime/contract';
import { resourceName } from '../support/naming';

export interface GameResourceNames {
  readonly asg: string;
  readonly cluster: string;
  readonly service: string;
  readonly taskFamily: string;
  readonly watchdogRule: string;
  readonly stateParameter: string;
  readonly connectionsDocument: string;
  readonly logGroup: string;
}

export function gameResourceNames(prefix: string, gameId: string): GameResourceNames {
  const base = resourceName(prefix, gameId);
  return {
    asg: base,
    cluster: base,
    service: base,
    taskFamily: base,
    watchdogRule: `${base}-watchdog-schedule`,
    stateParameter: `/${prefix}/${gameId}/watchdog-state`,
    connectionsDocument: `${base}-count-connections`,
    logGroup: `/${prefix}/${gameId}/game`,
  };
}

export function runtimeGame(game: GameConfig, names: GameResourceNames, hostedZoneId: string, ipv6: boolean): RuntimeGame {
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
    connectionsDocumentName: names.connectionsDocument,
    logGroupName: names.logGroup,
    ports: game.ports,
    probe: game.watchdog.probe,
    idleMinutes: game.watchdog.idleMinutes,
    startupMinutes: game.watchdog.startupMinutes,
    maxHours: game.watchdog.maxHours,
    stopAfterMaxHours: game.watchdog.stopAfterMaxHours,
    stopTimeoutSeconds: game.stopTimeoutSeconds,
  };
}

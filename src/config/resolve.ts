/**
 * Turns the validated file into what the stacks build from: every default
 * applied and every derived value (full host name, architecture, task memory,
 * SRV record, probe port) computed once, here, instead of in each construct.
 */
import type { RuntimeProbe } from '../runtime/game';
import { isMinecraftJava } from './minecraft-java';
import { INSTANCE_TYPES, memoryForGameMiB, Architecture } from './instance-types';
import { ParsedConfig, ParsedGame } from './schema';

/** How players are counted, with the query port resolved; the functions get it as is. */
export type Probe = RuntimeProbe;

export interface SrvRecord {
  readonly name: string;
  readonly port: number;
}

export interface GameConfig extends Omit<ParsedGame, 'hostname' | 'srv' | 'watchdog' | 'architecture' | 'memoryMiB'> {
  /** Game id: the key under `games`. */
  readonly id: string;
  /** Labels below the domain (`mc`). */
  readonly hostname: string;
  /** Full DNS name without the trailing dot (`mc.example.com`). */
  readonly fqdn: string;
  readonly architecture: Architecture;
  /** Memory of the instance type; undefined when the type is not in the table. */
  readonly instanceMemoryMiB?: number;
  /** Hard memory limit of the game container. */
  readonly memoryMiB: number;
  readonly srv?: SrvRecord;
  /** Seconds the container gets after SIGTERM to save its world. */
  readonly stopTimeoutSeconds: number;
  readonly watchdog: Omit<ParsedGame['watchdog'], 'probe'> & { readonly probe: Probe };
}

export interface Config extends Omit<ParsedConfig, 'games' | 'network' | 'state'> {
  readonly network: ParsedConfig['network'] & { readonly availabilityZone: string };
  readonly state: ParsedConfig['state'] & { readonly region: string; readonly worldsKey: string };
  readonly games: readonly GameConfig[];
}

/** ECS gives a container at most 120 s after SIGTERM; a spot notice gives 120 s in all, so spot keeps a margin. */
export const STOP_TIMEOUT_SECONDS = 120;
export const SPOT_STOP_TIMEOUT_SECONDS = 90;

function resolveGame(id: string, game: ParsedGame, domain: string): GameConfig {
  const known = INSTANCE_TYPES[game.instanceType];
  const hostname = game.hostname ?? id;
  const fqdn = `${hostname}.${domain}`;
  const architecture = game.architecture ?? known!.architecture;
  const memoryMiB = game.memoryMiB ?? memoryForGameMiB(known!.memoryMiB);
  const probe = game.watchdog.probe;
  const resolvedProbe: Probe = probe.type === 'query'
    ? { type: 'query', game: probe.game, port: probe.port ?? game.ports[0]!.port }
    : probe;
  const srvSpec = game.srv ?? (isMinecraftJava({ image: game.image, probe, ports: game.ports }) ? { service: 'minecraft', protocol: 'tcp' as const } : undefined);
  const srvPort = srvSpec && (srvSpec.port ?? game.ports.find((p) => p.protocol === srvSpec.protocol)?.port);
  const { hostname: _h, srv: _s, watchdog, architecture: _a, memoryMiB: _m, ...rest } = game;
  return {
    ...rest,
    id,
    hostname,
    fqdn,
    architecture,
    instanceMemoryMiB: known?.memoryMiB,
    memoryMiB,
    srv: srvSpec && srvPort ? { name: `_${srvSpec.service}._${srvSpec.protocol}.${fqdn}`, port: srvPort } : undefined,
    stopTimeoutSeconds: game.spot ? SPOT_STOP_TIMEOUT_SECONDS : STOP_TIMEOUT_SECONDS,
    watchdog: { ...watchdog, probe: resolvedProbe },
  };
}

export function resolveConfig(parsed: ParsedConfig): Config {
  const { games, network, state, ...rest } = parsed;
  return {
    ...rest,
    network: { ...network, availabilityZone: network.availabilityZone ?? `${parsed.region}a` },
    state: { ...state, region: state.region ?? parsed.region, worldsKey: state.key.replace(/\.tfstate$/, '.worlds.tfstate') },
    games: Object.entries(games).map(([id, game]) => resolveGame(id, game, parsed.domain.name)),
  };
}

/**
 * What one hour of a running game server costs: the instance, its root
 * volume and its public IPv4 address. The world's EFS, its backups, logs and
 * DNS cost the same whether the server runs or not, so they are not part of
 * the running hour (`gm cost` adds them per month).
 */
import type { GameConfig } from '../config/resolve';
import { globalPrice, onDemandUsdPerHour, regionalPrice, type PriceLookup } from './prices';
import { HOURS_PER_MONTH } from './service-prices';

/** The three prices a running hour is made of, each found or named as missing on its own. */
export interface RunningHourParts {
  /** USD per hour. */
  readonly instance: PriceLookup;
  /** USD per GiB-month of gp3, for the game's `rootVolumeGiB`. */
  readonly rootVolumeGp3: PriceLookup;
  /** USD per hour. */
  readonly publicIpv4: Extract<PriceLookup, { ok: true }>;
}

/**
 * The one place the parts of a running hour are looked up, shared by the
 * stopped notice's price (`runningHourCost`, told to the functions at synth)
 * and `gm cost`'s running-hour lines, so the two cannot drift apart.
 */
export function runningHourParts(game: GameConfig, region: string): RunningHourParts {
  return {
    // A spot game is charged the on-demand price: it is the most a spot hour can
    // cost (the default maximum spot price), and a "cost so far" must never
    // report less than was spent. Spot savings show only on the AWS bill.
    instance: onDemandUsdPerHour(game.instanceType, region),
    rootVolumeGp3: regionalPrice('ebsGp3UsdPerGbMonth', region),
    publicIpv4: globalPrice('publicIpv4UsdPerHour'),
  };
}

export function runningHourCost(game: GameConfig, region: string): { ok: true; usdPerHour: number } | { ok: false; missing: string } {
  const { instance, rootVolumeGp3: gp3, publicIpv4 } = runningHourParts(game, region);
  if (!instance.ok) return instance;
  if (!gp3.ok) return gp3;
  // EBS bills provisioned GiB (its price list says "GB"), for every hour the volume exists.
  const rootVolume = (game.rootVolumeGiB * gp3.usd) / HOURS_PER_MONTH;
  return { ok: true, usdPerHour: instance.usd + rootVolume + publicIpv4.usd };
}

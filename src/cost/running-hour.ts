/**
 * What one hour of a running game server costs: the instance, its root
 * volume and its public IPv4 address. The world's EFS, its backups, logs and
 * DNS cost the same whether the server runs or not, so they are not part of
 * the running hour (`gm cost` adds them per month).
 */
import type { GameConfig } from '../config/resolve';
import { globalPrice, onDemandUsdPerHour, regionalPrice } from './prices';
import { HOURS_PER_MONTH } from './service-prices';

export function runningHourCost(game: GameConfig, region: string): { ok: true; usdPerHour: number } | { ok: false; missing: string } {
  // A spot game is charged the on-demand price: it is the most a spot hour can
  // cost (the default maximum spot price), and a "cost so far" must never
  // report less than was spent. Spot savings show only on the AWS bill.
  const instance = onDemandUsdPerHour(game.instanceType, region);
  if (!instance.ok) return instance;
  const gp3 = regionalPrice('ebsGp3UsdPerGbMonth', region);
  if (!gp3.ok) return gp3;
  // EBS bills provisioned GiB (its price list says "GB"), for every hour the volume exists.
  const rootVolume = (game.rootVolumeGiB * gp3.usd) / HOURS_PER_MONTH;
  const publicIpv4 = globalPrice('publicIpv4UsdPerHour').usd;
  return { ok: true, usdPerHour: instance.usd + rootVolume + publicIpv4 };
}

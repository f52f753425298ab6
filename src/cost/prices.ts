/**
 * The price table: look-ups that either give a figure with its source or
 * name what is missing ("no price for t4g.medium in me-central-1"). Nothing
 * here estimates a price the table does not hold.
 */
import { ON_DEMAND_DEFAULT_SOURCE, ON_DEMAND_SOURCE, ON_DEMAND_USD_PER_HOUR } from './ec2-on-demand';
import { PRICES_TAKEN_ON, type PriceSourceId } from './price-sources';
import { GLOBAL_PRICES, REGIONAL_ITEMS, REGIONAL_PRICES, type RegionalItem } from './service-prices';

export type PriceLookup =
  | { readonly ok: true; readonly usd: number; readonly source: PriceSourceId }
  | { readonly ok: false; readonly missing: string };

/** What `gm cost` prints above its figures (the sources it prints are the report's own, from PRICE_SOURCES). */
export const PRICE_TABLE_HEADER: { readonly currency: 'USD'; readonly takenOn: string } = {
  currency: 'USD',
  takenOn: PRICES_TAKEN_ON,
};

/** Linux on-demand price of an instance type in a region, USD per hour. */
export function onDemandUsdPerHour(instanceType: string, region: string): PriceLookup {
  const usd = ON_DEMAND_USD_PER_HOUR[region]?.[instanceType];
  if (usd === undefined) return { ok: false, missing: `no price for ${instanceType} in ${region}` };
  return { ok: true, usd, source: ON_DEMAND_SOURCE[region] ?? ON_DEMAND_DEFAULT_SOURCE };
}

/** A regional service price (unit in the item's name). */
export function regionalPrice(item: RegionalItem, region: string): PriceLookup {
  const figure = REGIONAL_PRICES[region]?.[item];
  if (!figure) return { ok: false, missing: `no price for ${REGIONAL_ITEMS[item]} in ${region}` };
  return { ok: true, usd: figure.usd, source: figure.source };
}

/** A price that is the same in every region. */
export function globalPrice(item: keyof typeof GLOBAL_PRICES): Extract<PriceLookup, { ok: true }> {
  const figure = GLOBAL_PRICES[item];
  return { ok: true, usd: figure.usd, source: figure.source };
}

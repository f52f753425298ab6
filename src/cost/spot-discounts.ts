/**
 * Typical spot discounts, for estimates only (`gm cost` labels them so).
 * Spot prices change every few minutes and differ by Availability Zone, so a
 * figure here is never used where a cost must not be under-reported: the
 * running cost of a spot game is charged at the on-demand ceiling.
 *
 * Each figure is the mean of the us-east-1 Availability Zone spot prices in
 * the SkyPilot catalog divided into the on-demand price, for one size of the
 * family (named below); Local Zones (use1-atl2-az1) are left out. Families
 * without a figure have none.
 */
import type { PriceSourceId } from './price-sources';

export interface SpotDiscount {
  /** Fraction below on-demand, 0..1. */
  readonly typicalDiscount: number;
  /** The size the figure was measured on. */
  readonly measuredOn: string;
  readonly source: PriceSourceId;
  readonly label: 'typical, not a quote';
}

function observed(typicalDiscount: number, measuredOn: string): SpotDiscount {
  return { typicalDiscount, measuredOn, source: 'skypilotCatalog', label: 'typical, not a quote' };
}

export const SPOT_DISCOUNT_BY_FAMILY: Readonly<Record<string, SpotDiscount>> = {
  t3: observed(0.54, 't3.medium in us-east-1'),
  t3a: observed(0.47, 't3a.medium in us-east-1'),
  t4g: observed(0.48, 't4g.medium in us-east-1'),
  c5: observed(0.59, 'c5.2xlarge in us-east-1'),
  m5: observed(0.6, 'm5.large in us-east-1'),
  m6g: observed(0.54, 'm6g.large in us-east-1'),
  m7g: observed(0.55, 'm7g.large in us-east-1'),
  c6i: observed(0.54, 'c6i.large in us-east-1'),
  c6g: observed(0.52, 'c6g.large in us-east-1'),
  c7g: observed(0.3, 'c7g.large in us-east-1'),
};

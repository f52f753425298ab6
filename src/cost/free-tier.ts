/**
 * The AWS free allowances `gm cost` applies to its "after the free tier"
 * total: only those that never expire. The 12-month offers (750 h of t2/t3
 * micro, 5 GB of EFS Standard, 750 h of public IPv4) are left out: accounts
 * opened since 15 July 2025 get credits instead, and older ones have mostly
 * used their year. Each allowance is per account and month, so other
 * workloads of the account may already use some of it.
 */
import type { PriceSourceId } from './price-sources';

export interface FreeAllowance {
  /** How much of the unit is free each month. */
  readonly quantity: number;
  readonly unit: string;
  readonly source: PriceSourceId;
}

export const FREE_TIER = {
  /** Standard-resolution alarms that list their metric directly (ours do). */
  cloudWatchAlarms: { quantity: 10, unit: 'alarms', source: 'cloudWatchFreeTier' },
  /** Ingestion and archive storage together, every region summed. */
  cloudWatchLogsGb: { quantity: 5, unit: 'GB of logs', source: 'cloudWatchFreeTier' },
  /** Data transfer out to the internet, every service and region summed. */
  dataOutGb: { quantity: 100, unit: 'GB out', source: 'dataTransferFreeTier' },
  /** Active budgets of the account. */
  budgets: { quantity: 2, unit: 'budgets', source: 'budgets' },
} as const satisfies Record<string, FreeAllowance>;

export type FreeAllowanceId = keyof typeof FREE_TIER;

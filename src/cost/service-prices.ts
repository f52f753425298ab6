/**
 * Prices of the services around the instance: storage, backups, logs, DNS,
 * addresses and traffic. Regional ones are given only where a public figure
 * was found for that region; a gap is reported by name, never filled with a
 * neighbour's price (t3.medium costs 31 % more in ap-northeast-1 than in
 * us-east-1).
 */
import type { PriceSourceId } from './price-sources';

/** Billing months AWS converts monthly prices with (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

export interface Figure {
  readonly usd: number;
  readonly source: PriceSourceId;
}

/** Each regional price, with the unit in its name and the words `gm cost` prints for it. */
export const REGIONAL_ITEMS = {
  ebsGp3UsdPerGbMonth: 'EBS gp3 storage',
  efsOneZoneLifecycleUsdPerGbMonth: 'EFS One Zone storage with lifecycle to Infrequent Access',
  efsStandardLifecycleUsdPerGbMonth: 'EFS Standard storage with lifecycle to Infrequent Access',
  cloudWatchAlarmUsdPerMonth: 'CloudWatch standard-resolution alarms',
  backupEfsWarmUsdPerGbMonth: 'AWS Backup EFS warm storage',
  logsIngestionUsdPerGb: 'CloudWatch Logs ingestion',
  logsStorageUsdPerGbMonth: 'CloudWatch Logs storage',
  dataTransferOutUsdPerGb: 'data transfer out to the internet (first paid tier)',
} as const;

export type RegionalItem = keyof typeof REGIONAL_ITEMS;

/** The regions the table covers; one missing here has no prices at all. */
export const REGIONAL_PRICES: Readonly<Record<string, Readonly<Partial<Record<RegionalItem, Figure>>>>> = {
  'us-east-1': {
    ebsGp3UsdPerGbMonth: { usd: 0.08, source: 'ebsOfferUsEast1' },
    efsOneZoneLifecycleUsdPerGbMonth: { usd: 0.043, source: 'efsEffectivePrices' },
    efsStandardLifecycleUsdPerGbMonth: { usd: 0.08, source: 'efsEffectivePrices' },
    cloudWatchAlarmUsdPerMonth: { usd: 0.10, source: 'cloudWatchOfferUsEast1' },
    backupEfsWarmUsdPerGbMonth: { usd: 0.05, source: 'backupPageData' },
    logsIngestionUsdPerGb: { usd: 0.50, source: 'cloudWatchOfferUsEast1' },
    logsStorageUsdPerGbMonth: { usd: 0.03, source: 'cloudWatchOfferUsEast1' },
    dataTransferOutUsdPerGb: { usd: 0.09, source: 'dataTransferOfferUsEast1' },
  },
  'us-east-2': {
    ebsGp3UsdPerGbMonth: { usd: 0.08, source: 'gp3CodeTables' },
  },
  'us-west-2': {
    ebsGp3UsdPerGbMonth: { usd: 0.08, source: 'gp3CodeTables' },
    efsOneZoneLifecycleUsdPerGbMonth: { usd: 0.043, source: 'efsEffectivePrices' },
    efsStandardLifecycleUsdPerGbMonth: { usd: 0.08, source: 'efsEffectivePrices' },
  },
  'ca-central-1': {
    efsOneZoneLifecycleUsdPerGbMonth: { usd: 0.047, source: 'efsEffectivePrices' },
    efsStandardLifecycleUsdPerGbMonth: { usd: 0.09, source: 'efsEffectivePrices' },
  },
  'eu-west-1': {
    ebsGp3UsdPerGbMonth: { usd: 0.088, source: 'ebsOfferEuWest1' },
    efsOneZoneLifecycleUsdPerGbMonth: { usd: 0.046, source: 'efsEffectivePrices' },
    efsStandardLifecycleUsdPerGbMonth: { usd: 0.09, source: 'efsEffectivePrices' },
    cloudWatchAlarmUsdPerMonth: { usd: 0.10, source: 'cloudWatchOfferEuWest1' },
    logsIngestionUsdPerGb: { usd: 0.57, source: 'cloudWatchOfferEuWest1' },
    logsStorageUsdPerGbMonth: { usd: 0.03, source: 'cloudWatchOfferEuWest1' },
    dataTransferOutUsdPerGb: { usd: 0.09, source: 'dataTransferOfferEuWest1' },
    backupEfsWarmUsdPerGbMonth: { usd: 0.05, source: 'backupPageData' },
  },
  'eu-west-2': {},
  'eu-central-1': {
    ebsGp3UsdPerGbMonth: { usd: 0.0952, source: 'ebsFrankfurt' },
  },
  'eu-north-1': {
    ebsGp3UsdPerGbMonth: { usd: 0.0836, source: 'gp3CodeTables' },
  },
  'ap-southeast-1': {},
  'ap-southeast-2': {
    ebsGp3UsdPerGbMonth: { usd: 0.096, source: 'gp3CodeTables' },
    dataTransferOutUsdPerGb: { usd: 0.114, source: 'dataTransferSydney' },
  },
  'ap-northeast-1': {
    logsIngestionUsdPerGb: { usd: 0.76, source: 'cloudWatchLogsTokyo' },
    logsStorageUsdPerGbMonth: { usd: 0.033, source: 'cloudWatchLogsTokyo' },
  },
  'sa-east-1': {},
};

/** Prices AWS charges the same in every commercial region. */
export const GLOBAL_PRICES = {
  /** Every public IPv4 address, attached or idle; the game host always has one. */
  publicIpv4UsdPerHour: { usd: 0.005, source: 'publicIpv4' },
  /** The first 25 hosted zones of an account. */
  route53HostedZoneUsdPerMonth: { usd: 0.50, source: 'route53' },
  /** Standard queries, first billion a month; queries to alias records of AWS resources are free. */
  route53UsdPerMillionQueries: { usd: 0.40, source: 'route53' },
  /** Each active budget past the account's first two (see FREE_TIER), per day. */
  budgetUsdPerDay: { usd: 0.02, source: 'budgets' },
} as const satisfies Record<string, Figure>;

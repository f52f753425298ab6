/**
 * What a deployment costs, from its synthesized resources: per game the idle
 * month (what bills while nobody plays), the running hour and a month of
 * play; the lines the games share; and two totals, at list price and after
 * the AWS free tier. A price the table lacks is named on its line and makes
 * the totals incomplete; nothing is estimated from a neighbouring region.
 */
import type { Config, GameConfig } from '../config/resolve';
import { gameResourceNames } from '../runtime/names';
import {
  BACKUP_GB_PER_WORLD_GB, DATA_OUT_GB_PER_PLAYER_HOUR, DNS_QUERIES_PER_MONTH, IDLE_LOG_MB_PER_GROUP_MONTH,
  LOG_MB_PER_PLAYED_HOUR, QUERY_LOG_BYTES_PER_QUERY, TYPICAL_PLAYERS, assumptionLines,
} from './assumptions';
import { FREE_TIER, type FreeAllowanceId } from './free-tier';
import type { PriceSourceId } from './price-sources';
import { globalPrice, PRICE_TABLE_HEADER, regionalPrice, type PriceLookup } from './prices';
import { FREE_TYPES, isPricedType } from './resource-kinds';
import { runningHourParts } from './running-hour';
import { HOURS_PER_MONTH } from './service-prices';
import { SPOT_DISCOUNT_BY_FAMILY } from './spot-discounts';
import type { SynthesizedResource } from './synthesize';

export const GLOBAL_REGION = 'global';
const US_EAST_1 = 'us-east-1';
const MB_PER_GB = 1000;

/** One priced item: `quantity` of `unit` at `unitUsd` (null when the table has no price). */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number | null;
  readonly usd: number | null;
  /** Why there is no price ("no price for … in …"). */
  readonly missing?: string;
  readonly source?: PriceSourceId;
  readonly region: string;
  /** The always-free allowance this line draws on, if any. */
  readonly freeTier?: FreeAllowanceId;
  /** Terraform addresses (`aws_efs_file_system.world_mc`) the line prices; empty for usage such as data out. */
  readonly resources: readonly string[];
}

export interface FreeResource {
  readonly address: string;
  readonly why: string;
}

export interface SpotEstimate {
  /** Fraction below on-demand, typical, not a quote. */
  readonly typicalDiscount: number;
  readonly typicalUsdPerHour: number;
  readonly measuredOn: string;
  readonly source: PriceSourceId;
}

export interface GameCost {
  readonly id: string;
  readonly fqdn: string;
  readonly instanceType: string;
  readonly spot: boolean;
  readonly idle: readonly CostLine[];
  readonly runningHour: readonly CostLine[];
  /** The instance hour at a typical spot price; the running hour itself uses the on-demand ceiling. */
  readonly spotEstimate?: SpotEstimate;
  readonly playedMonth: readonly CostLine[];
}

export interface Totals {
  readonly listUsd: number;
  readonly afterFreeTierUsd: number;
  /** False when a line has no price: the sums then leave it out and are a lower bound. */
  readonly listComplete: boolean;
  readonly afterFreeTierComplete: boolean;
}

export interface CostReport {
  readonly deployment: string;
  readonly region: string;
  readonly currency: 'USD';
  readonly pricesTakenOn: string;
  readonly worldGb: number;
  readonly hoursPerMonth: number;
  readonly games: readonly GameCost[];
  readonly shared: readonly CostLine[];
  readonly free: readonly FreeResource[];
  /** Resources of a type the estimate does not know; each makes the totals incomplete. */
  readonly unknown: readonly FreeResource[];
  readonly missing: readonly string[];
  readonly totals: { readonly idleMonth: Totals; readonly playedMonth: Totals };
  readonly assumptions: readonly string[];
  readonly sources: readonly PriceSourceId[];
}

export interface EstimateOptions {
  readonly worldGb: number;
  readonly hoursPerMonth: number;
}

function line(item: string, quantity: number, unit: string, price: PriceLookup, region: string, resources: readonly string[], freeTier?: FreeAllowanceId): CostLine {
  const base = { item, quantity, unit, region, resources, ...(freeTier ? { freeTier } : {}) };
  return price.ok
    ? { ...base, unitUsd: price.usd, usd: quantity * price.usd, source: price.source }
    : { ...base, unitUsd: null, usd: null, missing: price.missing };
}

/** The same line for `factor` times the quantity (an hour → a month of play). */
function scaled(l: CostLine, factor: number): CostLine {
  return { ...l, quantity: l.quantity * factor, usd: l.unitUsd === null ? null : l.quantity * factor * l.unitUsd };
}

function address(r: SynthesizedResource): string {
  return `${r.type}.${r.name}`;
}

/** Region a resource is created in: the us_east_1 provider alias, or the configuration's region. */
function regionOf(r: SynthesizedResource, region: string): string {
  return typeof r.body.provider === 'string' && r.body.provider.endsWith('.us_east_1') ? US_EAST_1 : region;
}

/** The game a resource belongs to (`game-<id>/…` in the main stack, `world-<id>/…` in the worlds stack), if any. */
function gameOf(r: SynthesizedResource, games: readonly GameConfig[]): GameConfig | undefined {
  const first = r.path.split('/')[0] ?? '';
  return games.find((g) => first === `game-${g.id}` || first === `world-${g.id}`);
}

/** Log storage bills what is kept: a month's writes, for the part of the month the retention keeps them. */
function keptFraction(retentionDays: unknown): number {
  return typeof retentionDays === 'number' && retentionDays > 0 ? Math.min(retentionDays, 30) / 30 : 1;
}

/** Ingestion plus storage of one GB written, kept for `fraction` of a month; missing if either is. */
function logPrice(region: string, fraction: number): PriceLookup {
  const ingestion = regionalPrice('logsIngestionUsdPerGb', region);
  if (!ingestion.ok) return ingestion;
  const storage = regionalPrice('logsStorageUsdPerGbMonth', region);
  if (!storage.ok) return storage;
  return { ok: true, usd: ingestion.usd + fraction * storage.usd, source: ingestion.source };
}

function isQueryLogGroup(r: SynthesizedResource): boolean {
  return typeof r.body.name === 'string' && r.body.name.startsWith('/aws/route53/');
}

/** Resources by the region they are created in, in first-seen order: log groups and alarms are priced one line per region. */
function byRegion(resources: readonly SynthesizedResource[], region: string): Map<string, SynthesizedResource[]> {
  const groups = new Map<string, SynthesizedResource[]>();
  for (const r of resources) {
    const where = regionOf(r, region);
    groups.set(where, [...(groups.get(where) ?? []), r]);
  }
  return groups;
}

/** Log groups of one owner, one line per region. */
function logLines(groups: readonly SynthesizedResource[], region: string): CostLine[] {
  return [...byRegion(groups, region)].map(([where, list]) => {
    // Equal volumes per group, so the mean kept fraction gives the exact sum.
    const fraction = list.reduce((sum, g) => sum + keptFraction(g.body.retention_in_days), 0) / list.length;
    const gb = (list.length * IDLE_LOG_MB_PER_GROUP_MONTH) / MB_PER_GB;
    const label = `CloudWatch Logs, ${list.length} log group${list.length === 1 ? '' : 's'} × ${IDLE_LOG_MB_PER_GROUP_MONTH} MB${where === region ? '' : ` (${where})`}`;
    return line(label, gb, 'GB', logPrice(where, fraction), where, list.map(address), 'cloudWatchLogsGb');
  });
}

function alarmLines(alarms: readonly SynthesizedResource[], region: string): CostLine[] {
  return [...byRegion(alarms, region)].map(([where, list]) =>
    line(`CloudWatch alarm${list.length === 1 ? '' : 's'} × ${list.length}${where === region ? '' : ` (${where})`}`, list.length, 'alarm-month',
      regionalPrice('cloudWatchAlarmUsdPerMonth', where), where, list.map(address), 'cloudWatchAlarms'));
}

function worldLine(game: GameConfig, fs: SynthesizedResource | undefined, region: string, worldGb: number, backupAddresses: readonly string[]): CostLine {
  // A created file system says its class by its zone; an adopted one is priced as the configuration describes it.
  const oneZone = fs ? typeof fs.body.availability_zone_name === 'string' : game.oneZone;
  const what = `world storage, EFS ${oneZone ? 'One Zone' : 'Standard'}, ${worldGb} GB${fs ? '' : ` (adopted ${game.existingFileSystemId ?? 'file system'})`}`;
  const price = regionalPrice(oneZone ? 'efsOneZoneLifecycleUsdPerGbMonth' : 'efsStandardLifecycleUsdPerGbMonth', region);
  return line(what, worldGb, 'GB-month', price, region, fs ? [address(fs)] : backupAddresses);
}

/** A warm pool keeps stopped instances, whose root volumes bill all month. */
function warmPoolLine(game: GameConfig, asg: SynthesizedResource, region: string): CostLine | undefined {
  const pool = asg.body.warm_pool;
  if (pool === undefined) return undefined;
  const size = Array.isArray(pool) ? (pool[0] as { min_size?: unknown } | undefined)?.min_size : (pool as { min_size?: unknown }).min_size;
  const instances = typeof size === 'number' && size > 0 ? size : 1;
  return line(`warm pool, ${instances} stopped instance${instances === 1 ? '' : 's'} × ${game.rootVolumeGiB} GiB gp3`, instances * game.rootVolumeGiB, 'GiB-month',
    regionalPrice('ebsGp3UsdPerGbMonth', region), region, [address(asg)]);
}

/** `gameLogRetentionDays`: the retention of the game's container log group, where most of a played hour's logs go. */
function runningHourLines(game: GameConfig, region: string, gameLogRetentionDays: unknown): { lines: CostLine[]; spotEstimate?: SpotEstimate } {
  // The same parts as the stopped notice, the instance at its ceiling: a spot hour never costs more than on-demand.
  const { instance, rootVolumeGp3, publicIpv4 } = runningHourParts(game, region);
  const lines: CostLine[] = [
    line(`instance ${game.instanceType}, ${game.spot ? 'spot at most the on-demand price' : 'on-demand'}`, 1, 'hour', instance, region, []),
    line(`root volume, ${game.rootVolumeGiB} GiB gp3`, game.rootVolumeGiB / HOURS_PER_MONTH, 'GiB-month', rootVolumeGp3, region, []),
    line('public IPv4 address', 1, 'hour', publicIpv4, GLOBAL_REGION, []),
    line(`data out, ${TYPICAL_PLAYERS} player × ${DATA_OUT_GB_PER_PLAYER_HOUR} GB`, TYPICAL_PLAYERS * DATA_OUT_GB_PER_PLAYER_HOUR, 'GB',
      regionalPrice('dataTransferOutUsdPerGb', region), region, [], 'dataOutGb'),
    line(`logs while playing, ${LOG_MB_PER_PLAYED_HOUR} MB`, LOG_MB_PER_PLAYED_HOUR / MB_PER_GB, 'GB', logPrice(region, keptFraction(gameLogRetentionDays)), region, [], 'cloudWatchLogsGb'),
  ];
  const family = game.instanceType.split('.')[0] ?? '';
  const discount = SPOT_DISCOUNT_BY_FAMILY[family];
  const spotEstimate = game.spot && discount && instance.ok
    ? { typicalDiscount: discount.typicalDiscount, typicalUsdPerHour: instance.usd * (1 - discount.typicalDiscount), measuredOn: discount.measuredOn, source: discount.source }
    : undefined;
  return { lines, ...(spotEstimate ? { spotEstimate } : {}) };
}

/** Sums lines at list price and after the always-free allowances, drawn in the order the lines come. */
export function totalsOf(lines: readonly CostLine[]): Totals {
  const left = new Map<FreeAllowanceId, number>(Object.entries(FREE_TIER).map(([id, a]) => [id as FreeAllowanceId, a.quantity]));
  let listUsd = 0;
  let afterFreeTierUsd = 0;
  let listComplete = true;
  let afterFreeTierComplete = true;
  for (const l of lines) {
    if (l.usd === null) listComplete = false;
    else listUsd += l.usd;
    const free = l.freeTier ? Math.min(left.get(l.freeTier) ?? 0, l.quantity) : 0;
    if (l.freeTier) left.set(l.freeTier, (left.get(l.freeTier) ?? 0) - free);
    const billed = l.quantity - free;
    // A line wholly inside its allowance costs nothing, price known or not.
    if (billed <= 1e-12) continue;
    if (l.unitUsd === null) afterFreeTierComplete = false;
    else afterFreeTierUsd += billed * l.unitUsd;
  }
  return { listUsd, afterFreeTierUsd, listComplete, afterFreeTierComplete };
}

/** The estimate of one configuration from its synthesized resources. */
export function estimateCost(config: Config, resources: readonly SynthesizedResource[], options: EstimateOptions): CostReport {
  const region = config.region;
  const { worldGb, hoursPerMonth } = options;
  const free: FreeResource[] = [];
  const unknown: FreeResource[] = [];
  const byGame = new Map<string, SynthesizedResource[]>(config.games.map((g) => [g.id, []]));
  const shared: SynthesizedResource[] = [];
  for (const r of resources) {
    if (!isPricedType(r.type)) {
      const why = FREE_TYPES[r.type];
      if (why === undefined) unknown.push({ address: address(r), why: `${r.type} is not in the price table` });
      else free.push({ address: address(r), why });
      continue;
    }
    const game = gameOf(r, config.games);
    if (game) byGame.get(game.id)!.push(r);
    else shared.push(r);
  }

  const pricedIdle = (owned: readonly SynthesizedResource[], game?: GameConfig): CostLine[] => {
    const of = (type: string) => owned.filter((r) => r.type === type);
    const lines: CostLine[] = [];
    for (const zone of of('aws_route53_zone')) {
      lines.push(line(`hosted zone ${String(zone.body.name ?? '')}`.trim(), 1, 'zone-month', globalPrice('route53HostedZoneUsdPerMonth'), GLOBAL_REGION, [address(zone)]));
    }
    for (const queryLog of of('aws_route53_query_log')) {
      lines.push(line(`DNS lookups, ${DNS_QUERIES_PER_MONTH.toLocaleString('en-US')}`, DNS_QUERIES_PER_MONTH / 1e6, 'million queries',
        globalPrice('route53UsdPerMillionQueries'), GLOBAL_REGION, [address(queryLog)]));
    }
    for (const group of of('aws_cloudwatch_log_group').filter(isQueryLogGroup)) {
      const where = regionOf(group, region);
      const gb = (DNS_QUERIES_PER_MONTH * QUERY_LOG_BYTES_PER_QUERY) / 1e9;
      lines.push(line(`DNS query log (${where}), ${DNS_QUERIES_PER_MONTH.toLocaleString('en-US')} records`, gb, 'GB',
        logPrice(where, keptFraction(group.body.retention_in_days)), where, [address(group)], 'cloudWatchLogsGb'));
    }
    if (game) {
      const fs = of('aws_efs_file_system')[0];
      const policies = of('aws_efs_backup_policy');
      const selections = of('aws_backup_selection');
      if (fs || policies.length > 0) lines.push(worldLine(game, fs, region, worldGb, policies.map(address)));
      // The world's recovery points bill in the vault; the selection is what makes them.
      for (const selection of selections) {
        const gb = worldGb * BACKUP_GB_PER_WORLD_GB;
        lines.push(line(`world backups, AWS Backup warm storage, ${gb} GB`, gb, 'GB-month', regionalPrice('backupEfsWarmUsdPerGbMonth', region), region, [address(selection)]));
      }
      for (const policy of policies) {
        const status = (policy.body.backup_policy as { status?: unknown } | undefined)?.status;
        // EFS's own automatic backups (another vault) bill like ours; the worlds stack turns them off.
        if (status !== 'ENABLED') {
          free.push({ address: address(policy), why: "EFS's automatic backups are off (AWS Backup's plan copies the world)" });
          continue;
        }
        const gb = worldGb * BACKUP_GB_PER_WORLD_GB;
        lines.push(line(`world backups, EFS automatic backups, ${gb} GB`, gb, 'GB-month', regionalPrice('backupEfsWarmUsdPerGbMonth', region), region, [address(policy)]));
      }
      for (const asg of of('aws_autoscaling_group')) {
        const warm = warmPoolLine(game, asg, region);
        if (warm) lines.push(warm);
        else free.push({ address: address(asg), why: 'no instance while stopped; a running one is the running hour' });
      }
    } else {
      for (const r of [...of('aws_efs_file_system'), ...of('aws_efs_backup_policy'), ...of('aws_backup_selection'), ...of('aws_autoscaling_group')]) {
        unknown.push({ address: address(r), why: `${r.type} outside a game is not priced` });
      }
    }
    lines.push(...alarmLines(of('aws_cloudwatch_metric_alarm'), region));
    lines.push(...logLines(of('aws_cloudwatch_log_group').filter((g) => !isQueryLogGroup(g)), region));
    for (const budget of of('aws_budgets_budget')) {
      lines.push(line('budget (AWS Budgets)', 1, 'budget-month', { ...globalPrice('budgetUsdPerDay'), usd: globalPrice('budgetUsdPerDay').usd * HOURS_PER_MONTH / 24 },
        GLOBAL_REGION, [address(budget)], 'budgets'));
    }
    for (const parameter of of('aws_ssm_parameter')) {
      if (parameter.body.tier === 'Advanced' || parameter.body.tier === 'Intelligent-Tiering') {
        lines.push(line(`SSM parameter ${String(parameter.body.name ?? '')} (${String(parameter.body.tier)})`, 1, 'parameter-month',
          { ok: false, missing: `no price for SSM ${String(parameter.body.tier)} parameters` }, region, [address(parameter)]));
      } else {
        free.push({ address: address(parameter), why: 'Standard SSM parameters are free' });
      }
    }
    return lines;
  };

  const games: GameCost[] = config.games.map((game) => {
    const logGroup = gameResourceNames(config.name, game.id).logGroup;
    const gameLogs = (byGame.get(game.id) ?? []).find((r) => r.type === 'aws_cloudwatch_log_group' && r.body.name === logGroup);
    const running = runningHourLines(game, region, gameLogs?.body.retention_in_days);
    return {
      id: game.id,
      fqdn: game.fqdn,
      instanceType: game.instanceType,
      spot: game.spot,
      idle: pricedIdle(byGame.get(game.id) ?? [], game),
      runningHour: running.lines,
      ...(running.spotEstimate ? { spotEstimate: running.spotEstimate } : {}),
      playedMonth: running.lines.map((l) => scaled(l, hoursPerMonth)),
    };
  });
  const sharedLines = pricedIdle(shared);
  const idleLines = [...games.flatMap((g) => g.idle), ...sharedLines];
  const playedLines = [...idleLines, ...games.flatMap((g) => g.playedMonth)];
  const allLines = [...playedLines, ...games.flatMap((g) => g.runningHour)];
  const missing = [...new Set([...allLines.flatMap((l) => (l.missing ? [l.missing] : [])), ...unknown.map((u) => `${u.address}: ${u.why}`)])];
  const incomplete = unknown.length > 0;
  const withUnknown = (t: Totals): Totals => (incomplete ? { ...t, listComplete: false, afterFreeTierComplete: false } : t);
  const sources = [...new Set<PriceSourceId>([
    ...allLines.flatMap((l) => (l.source ? [l.source] : [])),
    ...games.flatMap((g) => (g.spotEstimate ? [g.spotEstimate.source] : [])),
    ...Object.values(FREE_TIER).map((a) => a.source),
  ])];
  return {
    deployment: config.name,
    region,
    currency: PRICE_TABLE_HEADER.currency,
    pricesTakenOn: PRICE_TABLE_HEADER.takenOn,
    worldGb,
    hoursPerMonth,
    games,
    shared: sharedLines,
    free,
    unknown,
    missing,
    totals: { idleMonth: withUnknown(totalsOf(idleLines)), playedMonth: withUnknown(totalsOf(playedLines)) },
    assumptions: [
      ...assumptionLines(worldGb, hoursPerMonth),
      `free tier: only the allowances that never expire (${Object.values(FREE_TIER).map((a) => `${a.quantity} ${a.unit}`).join(', ')}), if nothing else in the account uses them`,
      ...(config.domain.hostedZoneId ? [`the adopted hosted zone ${config.domain.hostedZoneId} bills as before and is not counted`] : []),
    ],
    sources,
  };
}

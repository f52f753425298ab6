import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, parseConfigText } from '../../src/config/load';
import type { Config } from '../../src/config/resolve';
import { DATA_OUT_GB_PER_PLAYER_HOUR, IDLE_LOG_MB_PER_GROUP_MONTH } from '../../src/cost/assumptions';
import { estimateCost, totalsOf, type CostLine, type CostReport } from '../../src/cost/estimate';
import { FREE_TIER } from '../../src/cost/free-tier';
import { onDemandUsdPerHour } from '../../src/cost/prices';
import { FREE_TYPES, PRICED_TYPES } from '../../src/cost/resource-kinds';
import { runningHourCost } from '../../src/cost/running-hour';
import { GLOBAL_PRICES, REGIONAL_PRICES } from '../../src/cost/service-prices';
import { synthesizedResources, type SynthesizedResource } from '../../src/cost/synthesize';

const ROOT = join(__dirname, '../..');
const SHIPPED = join(ROOT, 'gamemanagement.yaml');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'examples', f));

/** Every option that adds or removes a resource, in one configuration the examples do not cover. */
const VARIANTS = stringify({
  name: 'gm',
  region: 'us-east-1',
  domain: { name: 'example.com' },
  state: { bucket: 'example-com-gamemanagement-state' },
  alerts: { emails: ['admin@example.com'], monthlyBudgetUsd: 5, discordWebhookParameter: '/gm/discord-webhook' },
  network: { ipv6: true },
  games: {
    standard: { image: 'itzg/minecraft-server', instanceType: 't3.medium', ports: [{ port: 25565 }], volumes: [{ path: '/data' }], oneZone: false, backups: false },
    adopted: { image: 'itzg/minecraft-server', instanceType: 't4g.small', ports: [{ port: 25566 }], volumes: [{ path: '/data' }], existingFileSystemId: 'fs-0123456789abcdef0', spot: true },
    novolume: { image: 'ghcr.io/example/game', instanceType: 't4g.micro', ports: [{ port: 7777, protocol: 'udp' }], watchdog: { probe: { type: 'connections' } } },
  },
});

const cache = new Map<string, { config: Config; resources: SynthesizedResource[] }>();
function synth(key: string, load: () => Config) {
  if (!cache.has(key)) {
    const config = load();
    cache.set(key, { config, resources: synthesizedResources(config) });
  }
  return cache.get(key)!;
}
const fromFile = (file: string) => synth(file, () => loadConfig(file, {}));
const variants = () => synth('variants', () => parseConfigText(VARIANTS, 'variants.yaml', {}));

function report(entry: { config: Config; resources: SynthesizedResource[] }, worldGb = 1, hoursPerMonth = 20): CostReport {
  return estimateCost(entry.config, entry.resources, { worldGb, hoursPerMonth });
}

function item(lines: readonly CostLine[], startsWith: string): CostLine {
  const found = lines.filter((l) => l.item.startsWith(startsWith));
  if (found.length !== 1) throw new Error(`expected one line "${startsWith}…", found ${found.map((l) => l.item).join(' | ') || 'none'}`);
  return found[0]!;
}

jest.setTimeout(120_000);

describe('the resource walker', () => {
  it('knows every resource type synth produces for the shipped configurations and every option', () => {
    const seen = new Set<string>();
    for (const entry of [fromFile(SHIPPED), ...EXAMPLES.map(fromFile), variants()]) {
      const r = report(entry);
      // A new resource type fails here until it is priced or listed as free, with its reason.
      expect({ file: entry.config.name, unknown: r.unknown }).toEqual({ file: entry.config.name, unknown: [] });
      for (const res of entry.resources) seen.add(res.type);
    }
    // Each entry of the tables is still synthesized by something (no stale entries, except the warm pool's home).
    const listed = [...PRICED_TYPES, ...Object.keys(FREE_TYPES)];
    expect(listed.filter((t) => !seen.has(t)).sort()).toEqual(['aws_autoscaling_policy'].filter((t) => !seen.has(t)));
  });

  it('reports a type it does not know by its address and leaves both totals incomplete', () => {
    const entry = fromFile(SHIPPED);
    const nat: SynthesizedResource = { stack: 'gamemanagement', type: 'aws_nat_gateway', name: 'nat', path: 'network/nat', body: {} };
    const r = estimateCost(entry.config, [...entry.resources, nat], { worldGb: 1, hoursPerMonth: 20 });
    expect(r.unknown).toEqual([{ address: 'aws_nat_gateway.nat', why: 'aws_nat_gateway is not in the price table' }]);
    expect(r.missing).toContain('aws_nat_gateway.nat: aws_nat_gateway is not in the price table');
    expect(r.totals.idleMonth.listComplete).toBe(false);
    expect(r.totals.idleMonth.afterFreeTierComplete).toBe(false);
  });

  it('lists every free resource with its reason, and prices or lists every synthesized resource exactly once', () => {
    const entry = fromFile(SHIPPED);
    const r = report(entry);
    const priced = [...r.games.flatMap((g) => g.idle), ...r.shared].flatMap((l) => l.resources);
    const accounted = [...priced, ...r.free.map((f) => f.address)];
    const all = entry.resources.map((res) => `${res.type}.${res.name}`);
    expect([...accounted].sort()).toEqual([...all].sort());
    expect(r.free.find((f) => f.address.startsWith('aws_iam_role.'))?.why).toBe('IAM is free');
  });
});

describe('the shipped example (gamemanagement.yaml, eu-west-1)', () => {
  it('itemises the idle month from the synthesized zone, world, backups, alarm and logs', () => {
    const r = report(fromFile(SHIPPED));
    expect(r.games.map((g) => g.id)).toEqual(['mc']);
    const idle = r.games[0]!.idle;
    expect(item(idle, 'world storage').item).toBe('world storage, EFS One Zone, 1 GB');
    expect(item(idle, 'world storage').resources).toEqual(['aws_efs_file_system.world_mc']);
    expect(item(idle, 'world storage').usd).toBeCloseTo(REGIONAL_PRICES['eu-west-1']!.efsOneZoneLifecycleUsdPerGbMonth!.usd, 12);
    expect(item(idle, 'world backups').resources).toEqual(['aws_backup_selection.world_mc_backup_selection']);
    expect(item(idle, 'CloudWatch alarm').quantity).toBe(1);
    expect(item(idle, 'CloudWatch Logs').resources).toHaveLength(4);
    expect(item(idle, 'CloudWatch Logs').quantity).toBeCloseTo((4 * IDLE_LOG_MB_PER_GROUP_MONTH) / 1000, 12);
    expect(item(r.shared, 'hosted zone').item).toBe('hosted zone example.com');
    expect(item(r.shared, 'hosted zone').usd).toBe(GLOBAL_PRICES.route53HostedZoneUsdPerMonth.usd);
    expect(item(r.shared, 'DNS query log').region).toBe('us-east-1');
  });

  it('idles at no more than $1.00 a month, every line priced, at list price and after the free tier', () => {
    const r = report(fromFile(SHIPPED));
    expect(r.missing).toEqual([]);
    expect(r.totals.idleMonth.listComplete).toBe(true);
    expect(r.totals.idleMonth.afterFreeTierComplete).toBe(true);
    expect(r.totals.idleMonth.listUsd).toBeLessThanOrEqual(1);
    // The zone and 1 GB of world are inside it, as the promise says.
    expect(r.totals.idleMonth.listUsd).toBeGreaterThan(
      GLOBAL_PRICES.route53HostedZoneUsdPerMonth.usd + REGIONAL_PRICES['eu-west-1']!.efsOneZoneLifecycleUsdPerGbMonth!.usd,
    );
    // The free tier takes off the alarm and the logs, never the zone or the world.
    expect(r.totals.idleMonth.afterFreeTierUsd).toBeLessThan(r.totals.idleMonth.listUsd);
    expect(r.totals.idleMonth.afterFreeTierUsd).toBeGreaterThan(GLOBAL_PRICES.route53HostedZoneUsdPerMonth.usd);
  });

  it('prices the running hour as the stopped notice does, plus data out and logs', () => {
    const entry = fromFile(SHIPPED);
    const game = entry.config.games[0]!;
    const hour = report(entry).games[0]!.runningHour;
    const notice = runningHourCost(game, 'eu-west-1');
    if (!notice.ok) throw new Error(notice.missing);
    const machine = ['instance', 'root volume', 'public IPv4'].map((s) => item(hour, s).usd!);
    expect(machine.reduce((a, b) => a + b, 0)).toBeCloseTo(notice.usdPerHour, 12);
    expect(item(hour, 'data out').quantity).toBe(DATA_OUT_GB_PER_PLAYER_HOUR);
    expect(item(hour, 'data out').freeTier).toBe('dataOutGb');
  });
});

describe('a us-east-1 deployment, where the table has every price', () => {
  const factorio = () => fromFile(join(ROOT, 'examples', 'factorio.yaml'));

  it('has complete totals, the idle month being the sum of its lines', () => {
    const r = report(factorio());
    expect(r.missing).toEqual([]);
    expect(r.totals.idleMonth.listComplete && r.totals.playedMonth.listComplete && r.totals.playedMonth.afterFreeTierComplete).toBe(true);
    const idle = [...r.games.flatMap((g) => g.idle), ...r.shared];
    expect(r.totals.idleMonth.listUsd).toBeCloseTo(idle.reduce((s, l) => s + l.usd!, 0), 12);
    expect(r.totals.idleMonth.listUsd).toBeLessThanOrEqual(1);
  });

  it('adds a month of play: the running hour times --hours', () => {
    const entry = factorio();
    const twenty = report(entry, 1, 20);
    const forty = report(entry, 1, 40);
    const hourly = twenty.games.reduce((s, g) => s + g.runningHour.reduce((t, l) => t + l.usd!, 0), 0);
    expect(forty.totals.playedMonth.listUsd - twenty.totals.playedMonth.listUsd).toBeCloseTo(20 * hourly, 10);
    expect(twenty.totals.playedMonth.listUsd - twenty.totals.idleMonth.listUsd).toBeCloseTo(20 * hourly, 10);
  });

  it('scales world storage and backups with --world-gb', () => {
    const entry = factorio();
    const one = report(entry, 1).games[0]!.idle;
    const ten = report(entry, 10).games[0]!.idle;
    expect(item(ten, 'world storage').usd!).toBeCloseTo(10 * item(one, 'world storage').usd!, 12);
    expect(item(ten, 'world backups').usd!).toBeCloseTo(10 * item(one, 'world backups').usd!, 12);
    expect(item(ten, 'world storage').item).toBe('world storage, EFS One Zone, 10 GB');
  });

  it('takes the alarms, logs and data out off after the free tier, and only them', () => {
    const r = report(factorio());
    const lines = [...r.games.flatMap((g) => g.idle), ...r.shared];
    const unfree = lines.filter((l) => l.freeTier === undefined).reduce((s, l) => s + l.usd!, 0);
    expect(r.totals.idleMonth.afterFreeTierUsd).toBeCloseTo(unfree, 12);
    expect(r.totals.idleMonth.afterFreeTierUsd).toBeLessThan(r.totals.idleMonth.listUsd);
  });
});

describe('the options that change what bills', () => {
  it('prices a Standard world as Standard, an adopted one from the configuration, and no backups when they are off', () => {
    const r = report(variants());
    const standard = r.games.find((g) => g.id === 'standard')!.idle;
    expect(item(standard, 'world storage').item).toBe('world storage, EFS Standard, 1 GB');
    expect(item(standard, 'world storage').usd).toBe(REGIONAL_PRICES['us-east-1']!.efsStandardLifecycleUsdPerGbMonth!.usd);
    expect(standard.some((l) => l.item.startsWith('world backups'))).toBe(false);
    expect(r.free).toContainEqual({ address: 'aws_efs_backup_policy.world_standard_backup', why: "EFS's automatic backups are off (AWS Backup's plan copies the world)" });
    expect(r.free.some((f) => f.address.startsWith('aws_backup_selection.world_standard'))).toBe(false);
    const adopted = r.games.find((g) => g.id === 'adopted')!.idle;
    expect(item(adopted, 'world storage').item).toBe('world storage, EFS One Zone, 1 GB (adopted fs-0123456789abcdef0)');
    expect(item(adopted, 'world backups').usd).toBe(REGIONAL_PRICES['us-east-1']!.backupEfsWarmUsdPerGbMonth!.usd);
  });

  it('prices a budget past the free two, and counts it free within them', () => {
    const r = report(variants());
    const budget = item(r.shared, 'budget');
    expect(budget.usd).toBeCloseTo((GLOBAL_PRICES.budgetUsdPerDay.usd * 730) / 24, 12);
    expect(budget.freeTier).toBe('budgets');
    expect(totalsOf([budget]).afterFreeTierUsd).toBe(0);
    expect(FREE_TIER.budgets.quantity).toBe(2);
  });

  it('gives a spot game the typical spot price beside the on-demand ceiling it is charged at', () => {
    const r = report(variants());
    const spot = r.games.find((g) => g.id === 'adopted')!;
    const ceiling = onDemandUsdPerHour('t4g.small', 'us-east-1');
    if (!ceiling.ok) throw new Error(ceiling.missing);
    expect(item(spot.runningHour, 'instance').usd).toBe(ceiling.usd);
    expect(spot.spotEstimate!.typicalUsdPerHour).toBeCloseTo(ceiling.usd * (1 - spot.spotEstimate!.typicalDiscount), 12);
    expect(spot.spotEstimate!.typicalUsdPerHour).toBeLessThan(ceiling.usd);
    expect(r.games.find((g) => g.id === 'standard')!.spotEstimate).toBeUndefined();
  });

  it('names the world price a region lacks instead of borrowing a neighbour\'s', () => {
    const r = report(fromFile(join(ROOT, 'examples', 'valheim.yaml')));
    expect(r.region).toBe('eu-central-1');
    expect(item(r.games[0]!.idle, 'world storage').missing).toBe('no price for EFS One Zone storage with lifecycle to Infrequent Access in eu-central-1');
    expect(r.totals.idleMonth.listComplete).toBe(false);
    // The adopted zone is the user's own: no zone line, and the assumptions say why.
    expect(r.shared.some((l) => l.item.startsWith('hosted zone'))).toBe(false);
    expect(r.assumptions.join('\n')).toContain('adopted hosted zone Z0123456789ABCDEFGHIJ');
  });
});

describe('totalsOf (the free tier)', () => {
  const line = (quantity: number, unitUsd: number | null, freeTier?: CostLine['freeTier']): CostLine => ({
    item: 'x', quantity, unit: 'u', unitUsd, usd: unitUsd === null ? null : quantity * unitUsd, region: 'r', resources: [], ...(freeTier ? { freeTier } : {}),
  });

  it('draws each allowance across lines in order and bills only what is past it', () => {
    // 12 alarms: 10 free, 2 billed at $0.10.
    const t = totalsOf([line(7, 0.1, 'cloudWatchAlarms'), line(5, 0.1, 'cloudWatchAlarms'), line(1, 0.5)]);
    expect(t.listUsd).toBeCloseTo(1.7, 12);
    expect(t.afterFreeTierUsd).toBeCloseTo(0.2 + 0.5, 12);
    expect(t.listComplete && t.afterFreeTierComplete).toBe(true);
  });

  it('counts a line without a price as free when its allowance covers it, and as unknown otherwise', () => {
    expect(totalsOf([line(1, null, 'cloudWatchAlarms')])).toEqual({ listUsd: 0, afterFreeTierUsd: 0, listComplete: false, afterFreeTierComplete: true });
    expect(totalsOf([line(11, null, 'cloudWatchAlarms')]).afterFreeTierComplete).toBe(false);
    expect(totalsOf([line(1, null)]).afterFreeTierComplete).toBe(false);
  });
});

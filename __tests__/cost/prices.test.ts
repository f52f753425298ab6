import { INSTANCE_TYPES } from '../../src/config/instance-types';
import { ON_DEMAND_DEFAULT_SOURCE, ON_DEMAND_SOURCE, ON_DEMAND_USD_PER_HOUR } from '../../src/cost/ec2-on-demand';
import { PRICE_SOURCES } from '../../src/cost/price-sources';
import { globalPrice, onDemandUsdPerHour, PRICE_TABLE_HEADER, regionalPrice } from '../../src/cost/prices';
import { GLOBAL_PRICES, REGIONAL_ITEMS, REGIONAL_PRICES, type RegionalItem } from '../../src/cost/service-prices';
import { SPOT_DISCOUNT_BY_FAMILY } from '../../src/cost/spot-discounts';

const TYPES = Object.keys(INSTANCE_TYPES);
const SIZE_ORDER = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'];

/**
 * Types of the built-in table without an eu-west-1 price, and why: the
 * catalog lists them in eu-west-1, but they have not been copied from it
 * yet, and until they are, the table says so rather than guess (m6g.2xlarge
 * is not derived by doubling m6g.xlarge either). Adding a price makes this
 * test fail until the type leaves the list, so the list stays true.
 */
const NOT_YET_COPIED = ['m6a', 'm7i', 'm7a', 'm8g', 'c7i', 'c8g', 'r6i', 'r7i', 'r6g', 'r7g']
  .flatMap((f) => ['large', 'xlarge', '2xlarge'].map((s) => `${f}.${s}`))
  .concat(['m6g.2xlarge']);

function family(type: string): string {
  return type.split('.')[0]!;
}

function size(type: string): string {
  return type.split('.')[1]!;
}

describe('price table header', () => {
  it('says the currency, the date the figures were taken and where each comes from', () => {
    expect(PRICE_TABLE_HEADER.currency).toBe('USD');
    expect(PRICE_TABLE_HEADER.takenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(PRICE_TABLE_HEADER.takenOn))).toBe(false);
    for (const [id, source] of Object.entries(PRICE_SOURCES)) {
      expect({ id, url: source.url }).toEqual({ id, url: expect.stringMatching(/^https:\/\/\S+$/) });
      expect({ id, asOf: source.asOf }).toEqual({ id, asOf: expect.stringMatching(/^\d{4}(-\d{2}(-\d{2})?)?$/) });
      expect(source.title.length).toBeGreaterThan(10);
    }
  });

  it('names a known source for every figure', () => {
    const used = new Set<string>([ON_DEMAND_DEFAULT_SOURCE, ...Object.values(ON_DEMAND_SOURCE),
      ...Object.values(REGIONAL_PRICES).flatMap((items) => Object.values(items).map((f) => f!.source)),
      ...Object.values(GLOBAL_PRICES).map((f) => f.source),
      ...Object.values(SPOT_DISCOUNT_BY_FAMILY).map((d) => d.source)]);
    for (const id of used) expect(Object.keys(PRICE_SOURCES)).toContain(id);
  });
});

describe('instance prices', () => {
  it('has every instance type of the built-in table in us-east-1', () => {
    const missing = TYPES.filter((t) => !onDemandUsdPerHour(t, 'us-east-1').ok);
    expect(missing).toEqual([]);
  });

  it('has every instance type in eu-west-1 except the ones listed with a reason', () => {
    const missing = TYPES.filter((t) => !onDemandUsdPerHour(t, 'eu-west-1').ok);
    expect([...missing].sort()).toEqual([...NOT_YET_COPIED].sort());
    // Every burstable type, the ones most games run on, is priced.
    expect(missing.filter((t) => t.startsWith('t'))).toEqual([]);
  });

  it('holds only types of the built-in table, each a positive price below $2 an hour', () => {
    for (const [region, prices] of Object.entries(ON_DEMAND_USD_PER_HOUR)) {
      for (const [type, usd] of Object.entries(prices)) {
        expect({ region, type, known: type in INSTANCE_TYPES }).toEqual({ region, type, known: true });
        expect(usd).toBeGreaterThan(0.001);
        expect(usd).toBeLessThan(2);
      }
    }
  });

  it('rises with size within a family: t4g.small < t4g.medium < t4g.large, and so on', () => {
    const eu = (t: string) => { const p = onDemandUsdPerHour(t, 'eu-west-1'); if (!p.ok) throw new Error(p.missing); return p.usd; };
    expect(eu('t4g.small')).toBeLessThan(eu('t4g.medium'));
    expect(eu('t4g.medium')).toBeLessThan(eu('t4g.large'));
    for (const [region, prices] of Object.entries(ON_DEMAND_USD_PER_HOUR)) {
      const byFamily = new Map<string, string[]>();
      for (const type of Object.keys(prices)) byFamily.set(family(type), [...(byFamily.get(family(type)) ?? []), type]);
      for (const types of byFamily.values()) {
        const ordered = [...types].sort((a, b) => SIZE_ORDER.indexOf(size(a)) - SIZE_ORDER.indexOf(size(b)));
        for (let i = 1; i < ordered.length; i++) {
          expect({ region, cheaper: ordered[i - 1], price: prices[ordered[i - 1]!]! < prices[ordered[i]!]! })
            .toEqual({ region, cheaper: ordered[i - 1], price: true });
        }
      }
    }
  });

  it('doubles from large to xlarge to 2xlarge, as AWS prices sizes within a family', () => {
    for (const [region, prices] of Object.entries(ON_DEMAND_USD_PER_HOUR)) {
      for (const [type, usd] of Object.entries(prices)) {
        const bigger = `${family(type)}.${size(type) === 'large' ? 'xlarge' : size(type) === 'xlarge' ? '2xlarge' : ''}`;
        const next = prices[bigger];
        if (next !== undefined) expect({ region, type, ratio: Math.round((next / usd) * 100) / 100 }).toEqual({ region, type, ratio: 2 });
      }
    }
  });

  it('is at most 1 % below us-east-1 and at most a third dearer in the regions of the table', () => {
    // Ohio prices the c7g family a little below N. Virginia (c7g.large 0.0723
    // against 0.0725); every other pair is at least the us-east-1 price.
    for (const [region, prices] of Object.entries(ON_DEMAND_USD_PER_HOUR)) {
      for (const [type, usd] of Object.entries(prices)) {
        const base = ON_DEMAND_USD_PER_HOUR['us-east-1']![type]!;
        expect({ region, type, notFarBelow: usd >= base * 0.99, withinAThird: usd <= base * 1.34 }).toEqual({ region, type, notFarBelow: true, withinAThird: true });
      }
    }
  });

  it('has every built-in type of the families copied so far in the regions most games run in, but the one listed', () => {
    // The catalog has it; it has not been copied into the table yet.
    const notYetCopied: Record<string, string[]> = {
      'us-east-2': [],
      'us-west-2': [],
      'eu-west-1': [],
      'eu-central-1': ['m5.large'],
    };
    const copied = ['t3', 't3a', 't4g', 'm5', 'm6i', 'm7g', 'c5', 'c6i', 'c6g', 'c7g'];
    for (const [region, expected] of Object.entries(notYetCopied)) {
      const missing = TYPES.filter((t) => copied.includes(family(t)) && !onDemandUsdPerHour(t, region).ok);
      expect({ region, missing }).toEqual({ region, missing: expected });
    }
  });

  it('prices Graviton (t4g) below the same size of Intel (t3) in every region', () => {
    for (const [region, prices] of Object.entries(ON_DEMAND_USD_PER_HOUR)) {
      for (const s of SIZE_ORDER) {
        const arm = prices[`t4g.${s}`];
        const intel = prices[`t3.${s}`];
        if (arm !== undefined && intel !== undefined) expect({ region, s, cheaper: arm < intel }).toEqual({ region, s, cheaper: true });
      }
    }
  });

  it('names the type and the region it has no price for', () => {
    expect(onDemandUsdPerHour('t4g.medium', 'me-central-1')).toEqual({ ok: false, missing: 'no price for t4g.medium in me-central-1' });
    expect(onDemandUsdPerHour('x2gd.medium', 'us-east-1')).toEqual({ ok: false, missing: 'no price for x2gd.medium in us-east-1' });
    expect(onDemandUsdPerHour('t3a.medium', 'eu-north-1')).toEqual({ ok: false, missing: 'no price for t3a.medium in eu-north-1' });
  });

  it('gives the source with the price', () => {
    expect(onDemandUsdPerHour('t4g.medium', 'us-east-1')).toEqual({ ok: true, usd: ON_DEMAND_USD_PER_HOUR['us-east-1']!['t4g.medium'], source: 'priceListApi' });
    expect(onDemandUsdPerHour('t4g.medium', 'eu-west-1')).toEqual({ ok: true, usd: ON_DEMAND_USD_PER_HOUR['eu-west-1']!['t4g.medium'], source: 'skypilotCatalog' });
  });
});

describe('service prices', () => {
  it('keeps every regional figure positive and within the range AWS charges for it', () => {
    const plausible: Record<RegionalItem, [number, number]> = {
      ebsGp3UsdPerGbMonth: [0.05, 0.2],
      efsOneZoneLifecycleUsdPerGbMonth: [0.02, 0.1],
      efsStandardLifecycleUsdPerGbMonth: [0.04, 0.2],
      cloudWatchAlarmUsdPerMonth: [0.05, 0.2],
      backupEfsWarmUsdPerGbMonth: [0.03, 0.1],
      logsIngestionUsdPerGb: [0.3, 1.2],
      logsStorageUsdPerGbMonth: [0.02, 0.05],
      dataTransferOutUsdPerGb: [0.05, 0.2],
    };
    for (const [region, items] of Object.entries(REGIONAL_PRICES)) {
      for (const [item, figure] of Object.entries(items)) {
        const [low, high] = plausible[item as RegionalItem];
        expect({ region, item, inRange: figure!.usd >= low && figure!.usd <= high }).toEqual({ region, item, inRange: true });
      }
    }
  });

  it('prices a One Zone world below a Standard one wherever both are known, lifecycle included', () => {
    let compared = 0;
    for (const [region, items] of Object.entries(REGIONAL_PRICES)) {
      const oneZone = items.efsOneZoneLifecycleUsdPerGbMonth?.usd;
      const standard = items.efsStandardLifecycleUsdPerGbMonth?.usd;
      if (oneZone === undefined || standard === undefined) continue;
      expect({ region, cheaper: oneZone < standard }).toEqual({ region, cheaper: true });
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });

  it('prices the world storage of the shipped example\'s region (eu-west-1) and of us-east-1', () => {
    for (const region of ['eu-west-1', 'us-east-1']) {
      expect(regionalPrice('efsOneZoneLifecycleUsdPerGbMonth', region).ok).toBe(true);
    }
    expect(regionalPrice('efsOneZoneLifecycleUsdPerGbMonth', 'eu-central-1'))
      .toEqual({ ok: false, missing: 'no price for EFS One Zone storage with lifecycle to Infrequent Access in eu-central-1' });
  });

  it('names the item and the region it has no price for', () => {
    expect(regionalPrice('ebsGp3UsdPerGbMonth', 'sa-east-1')).toEqual({ ok: false, missing: `no price for ${REGIONAL_ITEMS.ebsGp3UsdPerGbMonth} in sa-east-1` });
    expect(regionalPrice('efsOneZoneLifecycleUsdPerGbMonth', 'me-central-1'))
      .toEqual({ ok: false, missing: 'no price for EFS One Zone storage with lifecycle to Infrequent Access in me-central-1' });
    expect(regionalPrice('ebsGp3UsdPerGbMonth', 'us-east-1')).toEqual({ ok: true, usd: 0.08, source: 'ebsOfferUsEast1' });
  });

  it('charges the public IPv4 address and Route 53 the same everywhere', () => {
    expect(globalPrice('publicIpv4UsdPerHour').usd).toBe(0.005);
    expect(globalPrice('route53HostedZoneUsdPerMonth').usd).toBe(0.5);
    expect(globalPrice('route53UsdPerMillionQueries').usd).toBeGreaterThan(0);
  });
});

describe('spot discounts', () => {
  it('are labelled typical, lie between 0 and 90 %, and belong to families of the built-in table', () => {
    const families = new Set(TYPES.map(family));
    for (const [name, discount] of Object.entries(SPOT_DISCOUNT_BY_FAMILY)) {
      expect(families.has(name)).toBe(true);
      expect(discount.label).toBe('typical, not a quote');
      expect(discount.typicalDiscount).toBeGreaterThan(0);
      expect(discount.typicalDiscount).toBeLessThan(0.9);
      expect(discount.measuredOn.startsWith(`${name}.`)).toBe(true);
    }
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load';
import type { GameConfig } from '../../src/config/resolve';
import { ON_DEMAND_USD_PER_HOUR } from '../../src/cost/ec2-on-demand';
import { runningHourCost } from '../../src/cost/running-hour';
import { GLOBAL_PRICES, REGIONAL_PRICES } from '../../src/cost/service-prices';
import { testGame } from '../support/game';

/** The test game: t3.medium, 30 GiB root volume (the configuration's defaults). */
const GAME: GameConfig = testGame().config;

function handSum(game: GameConfig, region: string): number {
  const instance = ON_DEMAND_USD_PER_HOUR[region]![game.instanceType]!;
  const gp3PerGbMonth = REGIONAL_PRICES[region]!.ebsGp3UsdPerGbMonth!.usd;
  return instance + (game.rootVolumeGiB * gp3PerGbMonth) / 730 + GLOBAL_PRICES.publicIpv4UsdPerHour.usd;
}

describe('runningHourCost', () => {
  it('is the instance, the root volume for an hour and the public IPv4 address', () => {
    expect(GAME.instanceType).toBe('t3.medium');
    expect(GAME.rootVolumeGiB).toBe(30);
    for (const region of ['us-east-1', 'eu-west-1', 'eu-central-1']) {
      const cost = runningHourCost(GAME, region);
      expect(cost).toEqual({ ok: true, usdPerHour: expect.any(Number) });
      if (cost.ok) expect(cost.usdPerHour).toBeCloseTo(handSum(GAME, region), 12);
    }
  });

  it('adds the extra root volume GiB at the gp3 price spread over the month', () => {
    const small = runningHourCost(GAME, 'us-east-1');
    const large = runningHourCost({ ...GAME, rootVolumeGiB: 100 }, 'us-east-1');
    if (!small.ok || !large.ok) throw new Error('us-east-1 must be priced');
    const gp3 = REGIONAL_PRICES['us-east-1']!.ebsGp3UsdPerGbMonth!.usd;
    expect(large.usdPerHour - small.usdPerHour).toBeCloseTo((70 * gp3) / 730, 12);
  });

  it('charges a spot game the on-demand ceiling, so the cost so far is never under-reported', () => {
    const spot = testGame({ spot: true }).config;
    expect(spot.spot).toBe(true);
    const onDemand = runningHourCost(GAME, 'eu-west-1');
    const ceiling = runningHourCost(spot, 'eu-west-1');
    expect(ceiling).toEqual(onDemand);
    if (ceiling.ok) expect(ceiling.usdPerHour).toBeGreaterThan(ON_DEMAND_USD_PER_HOUR['eu-west-1']!['t3.medium']!);
  });

  it('costs more for a bigger instance of the same family', () => {
    const medium = runningHourCost(GAME, 'us-east-1');
    const large = runningHourCost({ ...GAME, instanceType: 't3.large' }, 'us-east-1');
    if (!medium.ok || !large.ok) throw new Error('us-east-1 must be priced');
    expect(large.usdPerHour).toBeGreaterThan(medium.usdPerHour);
  });

  it('names the instance type and region it has no price for', () => {
    expect(runningHourCost(GAME, 'me-central-1')).toEqual({ ok: false, missing: 'no price for t3.medium in me-central-1' });
    expect(runningHourCost({ ...GAME, instanceType: 'x2gd.medium' }, 'us-east-1')).toEqual({ ok: false, missing: 'no price for x2gd.medium in us-east-1' });
  });

  it('names the root volume price when only that is missing', () => {
    expect(ON_DEMAND_USD_PER_HOUR['ca-central-1']?.['t3.medium']).toBeGreaterThan(0);
    expect(runningHourCost(GAME, 'ca-central-1')).toEqual({ ok: false, missing: 'no price for EBS gp3 storage in ca-central-1' });
  });

  it('prices every game of the shipped examples in its own region, or names the price it lacks', () => {
    // Instance types the table does not hold yet in that region (see prices.test.ts).
    const lacking: Record<string, string> = {
      'satisfactory.yaml': 'no price for r6i.large in eu-central-1',
    };
    const dir = join(__dirname, '../../examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const config = loadConfig(join(dir, file), {});
      for (const game of config.games) {
        const cost = runningHourCost(game, config.region);
        const expected = lacking[file] === undefined ? { ok: true, usdPerHour: expect.any(Number) } : { ok: false, missing: lacking[file] };
        expect({ file, game: game.id, cost }).toEqual({ file, game: game.id, cost: expected });
        if (cost.ok) expect(cost.usdPerHour).toBeCloseTo(handSum(game, config.region), 12);
      }
    }
  });
});

/**
 * The DNS wake path: Route53 query logs (us-east-1 only) → one subscription
 * filter → one waker, which raises the game's group in the game region.
 */
import type { WakeTarget } from '../../../src/runtime/contract';
import { parseWakeTargets } from '../../../src/lambdas/waker/logic';
import { functionStatements, inlinePoliciesOf, resourcesFor, roleOf } from './support/iam';
import {
  THREE_GAMES, address, byName, exampleYaml, only, ref, resources, synthMain, type Named, type SynthResult,
} from './support/synth';

const US_EAST_1 = 'aws.us_east_1';

function envOf(fn: Named): Record<string, string> {
  return (fn.body.environment as { variables: Record<string, string> }).variables;
}

describe.each([
  ['three games', THREE_GAMES, 'eu-central-1', ['mc', 'valheim', 'terraria']],
  ['the shipped example', exampleYaml(), 'eu-west-1', ['mc']],
] as const)('waker of %s', (_label, yaml, region, gameIds) => {
  let synth: SynthResult;
  let waker: Named;
  let queryLogGroup: Named;
  beforeAll(() => {
    synth = synthMain(yaml);
    waker = byName(synth.json, 'aws_lambda_function', 'gm-waker');
    queryLogGroup = byName(synth.json, 'aws_cloudwatch_log_group', '/aws/route53/example.com');
  });

  it('lives in us-east-1 with everything around it, next to the query logs', () => {
    expect(queryLogGroup.body.provider).toBe(US_EAST_1);
    expect(waker.body.provider).toBe(US_EAST_1);
    const role = roleOf(synth.json, waker);
    expect(role.body.provider).toBe(US_EAST_1);
    const policies = inlinePoliciesOf(synth.json, role);
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) expect(policy.provider).toBe(US_EAST_1);
    expect(byName(synth.json, 'aws_cloudwatch_log_group', '/aws/lambda/gm-waker').body.provider).toBe(US_EAST_1);
    const permissions = resources(synth.json, 'aws_lambda_permission').filter((p) => p.body.function_name === ref('aws_lambda_function', waker, 'function_name'));
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.body.provider).toBe(US_EAST_1);
    for (const filter of resources(synth.json, 'aws_cloudwatch_log_subscription_filter')) expect(filter.body.provider).toBe(US_EAST_1);
  });

  it('is fed by exactly one subscription filter on the query-log group, whatever the number of games', () => {
    const filters = resources(synth.json, 'aws_cloudwatch_log_subscription_filter');
    expect(filters).toHaveLength(1);
    const filter = filters[0]!;
    expect(filter.body.log_group_name).toBe(ref('aws_cloudwatch_log_group', queryLogGroup, 'name'));
    expect(filter.body.destination_arn).toBe(ref('aws_lambda_function', waker, 'arn'));
    // Every line: the waker matches names case-insensitively, a filter pattern cannot.
    expect(filter.body.filter_pattern).toBe('');
    const permission = only(synth.json, 'aws_lambda_permission', (b) => b.function_name === ref('aws_lambda_function', waker, 'function_name'));
    expect(filter.body.depends_on).toContain(address('aws_lambda_permission', permission));
  });

  it('may be invoked by CloudWatch Logs from the query-log group only', () => {
    const permission = only(synth.json, 'aws_lambda_permission', (b) => b.function_name === ref('aws_lambda_function', waker, 'function_name'));
    expect(permission.body.principal).toBe('logs.amazonaws.com');
    expect(permission.body.action).toBe('lambda:InvokeFunction');
    expect(permission.body.source_arn).toBe(`${ref('aws_cloudwatch_log_group', queryLogGroup, 'arn')}:*`);
  });

  it('knows every game by its lower-case names, wake-on types and group name', () => {
    const targets = JSON.parse(envOf(waker).GM_GAMES!) as WakeTarget[];
    expect(targets.map((t) => t.id)).toEqual(gameIds);
    for (const target of targets) {
      const game = synth.config.games.find((g) => g.id === target.id)!;
      const group = byName(synth.json, 'aws_autoscaling_group', `gm-${game.id}`);
      expect(target.fqdn).toBe(game.fqdn);
      expect(target.wakeOn).toEqual(game.wakeOn);
      expect(target.asgName).toBe(ref('aws_autoscaling_group', group, 'name'));
      expect(target.names).toContain(game.fqdn);
      for (const name of target.names) {
        expect(name).toBe(name.toLowerCase());
        expect(name.endsWith('.')).toBe(false);
      }
    }
    // The function's own parser accepts what the construct wrote.
    expect(parseWakeTargets(targets)).toEqual(targets);
  });

  it('wakes the Minecraft game on its SRV lookup', () => {
    const targets = JSON.parse(envOf(waker).GM_GAMES!) as WakeTarget[];
    const mc = targets.find((t) => t.id === 'mc')!;
    expect(mc.wakeOn).toEqual(['SRV']);
    expect([...mc.names].sort()).toEqual(['_minecraft._tcp.mc.example.com', 'mc.example.com']);
  });

  it('raises groups in the game region and reports to the alerts topic', () => {
    expect(envOf(waker).GM_GAME_REGION).toBe(region);
    expect(envOf(waker).GM_TOPIC_ARN).toBe(ref('aws_sns_topic', byName(synth.json, 'aws_sns_topic', 'gm-alerts'), 'arn'));
  });

  it('may set the desired capacity of exactly the games\' groups, never "*"', () => {
    const granted = resourcesFor(functionStatements(synth.json, waker), 'autoscaling:SetDesiredCapacity');
    const groups = gameIds.map((id) => ref('aws_autoscaling_group', byName(synth.json, 'aws_autoscaling_group', `gm-${id}`), 'arn'));
    expect([...granted].sort()).toEqual([...groups].sort());
    expect(granted).not.toContain('*');
    for (const arn of granted) expect(arn).toMatch(/^\$\{aws_autoscaling_group\.[^.]+\.arn\}$/);
  });

  it('keeps its environment under the 4 KB Lambda allows', () => {
    // Unresolved references are longer than the names they become, so this is an upper bound.
    const size = Object.entries(envOf(waker)).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    expect(size).toBeLessThan(4096);
  });
});

describe('with three games', () => {
  it('gives the valheim game its own host name and A/AAAA wake-up', () => {
    const synth = synthMain(THREE_GAMES);
    const targets = JSON.parse(envOf(byName(synth.json, 'aws_lambda_function', 'gm-waker')).GM_GAMES!) as WakeTarget[];
    const valheim = targets.find((t) => t.id === 'valheim')!;
    expect(valheim.names).toEqual(['vh.eu.example.com']);
    expect(valheim.wakeOn).toEqual(['A', 'AAAA']);
  });
});

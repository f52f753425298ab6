/**
 * The DNS wake path: Route53 query logs (us-east-1 only) → one subscription
 * filter → one waker, which starts the game in the game region. Its routing
 * table travels in its zip (routes.json), its environment is two variables,
 * and its final failures reach the alert addresses from a topic beside it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import * as v from 'valibot';
import { readRoutes } from '../../../src/lambdas/waker/routes';
import { envProblems } from '../../../src/runtime/env';
import { ROUTES_FILE, WakeRoutesSchema, type WakeRoute } from '../../../src/runtime/routes';
import { DEPLOYMENT_TAG } from '../../../src/constructs/support/naming';
import { functionStatements, inlinePoliciesOf, resourcesFor, roleOf, statementsFor } from '../control-loop/support/iam';
import {
  THREE_GAMES, address, byName, exampleYaml, only, ref, resources, synthMain, type Named, type SynthResult,
} from '../control-loop/support/synth';

const US_EAST_1 = 'aws.us_east_1';

function envOf(fn: Named): Record<string, string> {
  return (fn.body.environment as { variables: Record<string, string> }).variables;
}

/** The files of the zip Terraform uploads for `fn`. */
function zipOf(synth: SynthResult, fn: Named): Record<string, Uint8Array> {
  return unzipSync(readFileSync(join(synth.stackDir, String(fn.body.filename))));
}

/** routes.json as packed beside the waker's code. */
function routesOf(synth: SynthResult, fn: Named): WakeRoute[] {
  const file = zipOf(synth, fn)[ROUTES_FILE];
  if (!file) throw new Error(`no ${ROUTES_FILE} in the waker's zip`);
  return JSON.parse(Buffer.from(file).toString('utf8')) as WakeRoute[];
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

  it('carries its routing table in its zip, beside the code: every game by its lower-case names, wake-on types and resource names', () => {
    expect(Object.keys(zipOf(synth, waker)).sort()).toEqual(['index.js', ROUTES_FILE]);
    const routes = routesOf(synth, waker);
    expect(routes.map((r) => r.id)).toEqual(gameIds);
    for (const route of routes) {
      const game = synth.config.games.find((g) => g.id === route.id)!;
      const group = byName(synth.json, 'aws_autoscaling_group', `gm-${game.id}`);
      expect(route.fqdn).toBe(game.fqdn);
      expect(route.wakeOn).toEqual(game.wakeOn);
      // A name, not a reference: the file is written before any resource exists.
      expect(route.asgName).toBe(group.body.name);
      expect(route.sessionParameterName).toBe(`/gm/${game.id}/session`);
      expect(route.pendingWakeParameterName).toBe(`/gm/${game.id}/pending-wake`);
      expect(route.names).toContain(game.fqdn);
      for (const name of route.names) {
        expect(name).toBe(name.toLowerCase());
        expect(name.endsWith('.')).toBe(false);
      }
    }
    expect(JSON.stringify(routes)).not.toContain('${');
    expect(v.safeParse(WakeRoutesSchema, routes).success).toBe(true);
    // The function's own reader accepts the file as packed.
    const file = join(mkdtempSync(join(tmpdir(), 'gm-routes-')), ROUTES_FILE);
    writeFileSync(file, zipOf(synth, waker)[ROUTES_FILE]!);
    expect(readRoutes(file)).toEqual(routes);
  });

  it('does not manage the session and pending-wake parameters (they come and go at run time)', () => {
    const names = resources(synth.json, 'aws_ssm_parameter').map((p) => String(p.body.name));
    for (const route of routesOf(synth, waker)) {
      expect(names).not.toContain(route.sessionParameterName);
      expect(names).not.toContain(route.pendingWakeParameterName);
    }
  });

  it('wakes the Minecraft game on its SRV lookup', () => {
    const mc = routesOf(synth, waker).find((t) => t.id === 'mc')!;
    expect(mc.wakeOn).toEqual(['SRV']);
    expect([...mc.names].sort()).toEqual(['_minecraft._tcp.mc.example.com', 'mc.example.com']);
  });

  it('gets only the game region and the alerts topic as environment, which the function accepts', () => {
    const env = envOf(waker);
    expect(Object.keys(env).sort()).toEqual(['GM_GAME_REGION', 'GM_TOPIC_ARN', 'POWERTOOLS_SERVICE_NAME']);
    expect(env.GM_GAME_REGION).toBe(region);
    expect(env.GM_TOPIC_ARN).toBe(ref('aws_sns_topic', byName(synth.json, 'aws_sns_topic', 'gm-alerts'), 'arn'));
    expect(envProblems('waker', { ...env, GM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts' })).toEqual([]);
  });

  it('may set the desired capacity of the deployment\'s groups by name pattern only, never "*"', () => {
    const granted = resourcesFor(functionStatements(synth.json, waker), 'autoscaling:SetDesiredCapacity');
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatch(new RegExp(`:autoscaling:${region}:.*:autoScalingGroup:\\*:autoScalingGroupName/gm-\\*$`));
    // Every routed group matches the pattern.
    for (const route of routesOf(synth, waker)) expect(route.asgName.startsWith('gm-')).toBe(true);
  });

  it('may scale only groups tagged with this deployment, which every game group carries', () => {
    const [grant, ...others] = statementsFor(functionStatements(synth.json, waker), 'autoscaling:SetDesiredCapacity');
    expect(others).toEqual([]);
    // Without it, `gm-*` would also match the groups of a deployment named `gm-test` in the same account.
    expect(grant!.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: 'gm' } });
    const groups = resources(synth.json, 'aws_autoscaling_group');
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.body.tag).toContainEqual({ key: DEPLOYMENT_TAG, value: 'gm', propagate_at_launch: false });
    }
  });

  it('sends its final failures to a topic in us-east-1 that every alert address gets', () => {
    const topic = byName(synth.json, 'aws_sns_topic', 'gm-waker-failures');
    expect(topic.body.provider).toBe(US_EAST_1);
    const configs = resources(synth.json, 'aws_lambda_function_event_invoke_config').filter((c) => c.body.function_name === ref('aws_lambda_function', waker, 'function_name'));
    expect(configs).toHaveLength(1);
    expect(configs[0]!.body).toMatchObject({
      provider: US_EAST_1,
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 600,
      destination_config: { on_failure: { destination: ref('aws_sns_topic', topic, 'arn') } },
    });
    const emails = resources(synth.json, 'aws_sns_topic_subscription').filter((s) => s.body.topic_arn === ref('aws_sns_topic', topic, 'arn') && s.body.protocol === 'email');
    expect(emails.map((e) => e.body.endpoint).sort()).toEqual([...synth.config.alerts.emails].sort());
    for (const e of emails) expect(e.body.provider).toBe(US_EAST_1);
  });
});

describe('with three games', () => {
  it('gives the valheim game its own host name and A/AAAA wake-up', () => {
    const synth = synthMain(THREE_GAMES);
    const valheim = routesOf(synth, byName(synth.json, 'aws_lambda_function', 'gm-waker')).find((t) => t.id === 'valheim')!;
    expect(valheim.names).toEqual(['vh.eu.example.com']);
    expect(valheim.wakeOn).toEqual(['A', 'AAAA']);
  });

  it('lets the Discord notifier post the waker\'s failures too, across regions', () => {
    const synth = synthMain(THREE_GAMES);
    const topic = byName(synth.json, 'aws_sns_topic', 'gm-waker-failures');
    const notifier = byName(synth.json, 'aws_lambda_function', 'gm-discord');
    const subscription = only(synth.json, 'aws_sns_topic_subscription', (b) => b.topic_arn === ref('aws_sns_topic', topic, 'arn') && b.protocol === 'lambda');
    expect(subscription.body).toMatchObject({ provider: US_EAST_1, endpoint: ref('aws_lambda_function', notifier, 'arn') });
    const permission = only(synth.json, 'aws_lambda_permission', (b) => b.source_arn === ref('aws_sns_topic', topic, 'arn'));
    // The permission belongs to the function, in its region.
    expect(permission.body).toMatchObject({ principal: 'sns.amazonaws.com', function_name: ref('aws_lambda_function', notifier, 'function_name') });
    expect(permission.body.provider).toBeUndefined();
    expect(subscription.body.depends_on).toContain(address('aws_lambda_permission', permission));
  });
});

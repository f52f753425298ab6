/**
 * A zone of 50 games (generated: Minecraft woken by SRV, UDP games counted by
 * connections, spot games counted by traffic; IPv6, e-mail and Discord
 * alerts) synthesizes into something AWS accepts, and real Terraform agrees.
 *
 * Synthesized once, for both kinds of check:
 * - what Terraform cannot see: each function's environment within Lambda's
 *   4 KB and each role's policy within IAM's 10,240 characters, with every
 *   reference counted at the longest value it can take once deployed; the
 *   waker's routing table in its zip and its grants by pattern (what grew
 *   with the games before);
 * - `terraform validate` and `plan` of the main stack. The worlds stack has
 *   nothing per game that the examples' plans do not cover already; planning
 *   its 300 resources again would cost the suite time for no new check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { parseConfigText } from '../../src/config/load';
import type { Config } from '../../src/config/resolve';
import { ROLE_INLINE_POLICY_LIMIT_CHARS, TOKEN_CHARS_BOUND } from '../../src/constructs/support/iam-document';
import { LAMBDA_ENV_LIMIT_BYTES } from '../../src/runtime/env';
import { ROUTES_FILE } from '../../src/runtime/routes';
import { readJsonencode } from '../constructs/support/hcl';
import { manyGameIds, manyGamesYaml } from '../support/many-games';
import { expectStackPlans, synthStacks } from '../support/plan-suite';

const GAMES = 50;

type Body = Record<string, unknown>;
interface StackJson { readonly resource: Record<string, Record<string, Body>> }

/** A reference (`${aws_x.y.arn}`, `${element(split(...), 1)}`) as long as the longest value it can become. */
const REFERENCE = /\$\{[^}]*\}/g;
const atMost = (text: string): string => text.replace(REFERENCE, 'x'.repeat(TOKEN_CHARS_BOUND));

let config: Config;
let stacksDir: string;
let main: StackJson;
beforeAll(() => {
  config = parseConfigText(manyGamesYaml(GAMES), 'fifty-games.yaml', {});
  stacksDir = synthStacks(config);
  main = JSON.parse(readFileSync(join(stacksDir, 'gamemanagement', 'cdk.tf.json'), 'utf8')) as StackJson;
});

const resourcesOf = (type: string): Body[] => Object.values(main.resource[type] ?? {});
const functions = (): Body[] => resourcesOf('aws_lambda_function');
const waker = (): Body => functions().find((fn) => fn.function_name === 'gm-waker')!;

describe(`${GAMES} games in one zone, synthesized`, () => {
  it('get every function of theirs: a waker and a notifier for the zone, three functions per game', () => {
    expect(functions()).toHaveLength(2 + 3 * GAMES);
    expect(resourcesOf('aws_autoscaling_group')).toHaveLength(GAMES);
  });

  it('keep each function\'s environment within Lambda\'s 4 KB, however long the references become', () => {
    for (const fn of functions()) {
      const variables = (fn.environment as { variables: Record<string, string> }).variables;
      const bytes = Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(atMost(v)), 0);
      expect({ fn: fn.function_name, fits: bytes <= LAMBDA_ENV_LIMIT_BYTES }).toEqual({ fn: fn.function_name, fits: true });
    }
    // The waker's does not grow with the games: the region and the topic, nothing per game.
    expect(Object.keys((waker().environment as { variables: Record<string, string> }).variables).sort()).toEqual(['GM_GAME_REGION', 'GM_TOPIC_ARN', 'POWERTOOLS_SERVICE_NAME']);
  });

  it('keep each role\'s inline policies within IAM\'s 10,240 characters, however long the references become', () => {
    const sizes = new Map<string, number>();
    for (const policy of resourcesOf('aws_iam_role_policy')) {
      const role = /^\$\{aws_iam_role\.([^.]+)\.(id|name)\}$/.exec(String(policy.role))![1]!;
      const roleName = String(main.resource.aws_iam_role![role]!.name);
      // What IAM counts: the document without whitespace (JSON.stringify writes none).
      sizes.set(roleName, (sizes.get(roleName) ?? 0) + atMost(JSON.stringify(readJsonencode(String(policy.policy)))).length);
    }
    // Every role with inline policies (hosts and tasks too), and among them every function's (named as the function).
    for (const fn of functions()) expect(sizes.has(String(fn.function_name))).toBe(true);
    for (const [role, chars] of sizes) expect({ role, fits: chars <= ROLE_INLINE_POLICY_LIMIT_CHARS }).toEqual({ role, fits: true });
  });

  it('are started by a waker that grants by name pattern, not game by game', () => {
    const role = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(waker().role))![1]!;
    const policy = resourcesOf('aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${role}.id}`)!;
    const statements = (readJsonencode(String(policy.policy)) as { Statement: { Action: string | string[]; Resource: string | string[] }[] }).Statement;
    const resourcesFor = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    expect(resourcesFor('autoscaling:SetDesiredCapacity')).toEqual([expect.stringMatching(/:autoScalingGroupName\/gm-\*$/)]);
    expect(resourcesFor('ssm:PutParameter')).toEqual([expect.stringMatching(/:parameter\/gm\/\*\/session$/), expect.stringMatching(/:parameter\/gm\/\*\/pending-wake$/)]);
  });

  it('are all in the waker\'s routing table, packed in its zip', () => {
    const zip = unzipSync(readFileSync(join(stacksDir, 'gamemanagement', String(waker().filename))));
    const routes = JSON.parse(Buffer.from(zip[ROUTES_FILE]!).toString('utf8')) as { id: string }[];
    expect(routes.map((r) => r.id)).toEqual(manyGameIds(GAMES));
  });

  it('share one code asset per function folder instead of copying a zip per function', () => {
    expect(new Set(functions().map((fn) => fn.filename)).size).toBe(5);
  });

  it('stay within EventBridge\'s default quota of 300 rules per event bus', () => {
    const rules = resourcesOf('aws_cloudwatch_event_rule').filter((r) => r.event_bus_name === undefined || r.event_bus_name === 'default');
    expect(rules.length).toBeLessThanOrEqual(300);
  });
});

it('gamemanagement passes terraform validate and plans every declared resource', () => {
  expectStackPlans(stacksDir, 'gamemanagement', config);
});

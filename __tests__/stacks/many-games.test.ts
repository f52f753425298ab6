/**
 * A zone of 50 games synthesizes into something AWS accepts: each function's
 * environment within Lambda's 4 KB and each role's policy within IAM's 10,240
 * characters, with every Terraform reference counted at the longest value it
 * can take once deployed. What grew with the games before — the waker's
 * routing table and its grants — does not grow any more. A configuration
 * that still cannot fit (a game with very many ports) fails the synth as a
 * problem of that game, before anything is written. (Terraform validates and
 * plans the 50 games in __tests__/terraform/many-games.plan.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { buildApp } from '../../src/app';
import { ConfigError } from '../../src/config/config-error';
import { parseConfigText } from '../../src/config/load';
import { ROLE_INLINE_POLICY_LIMIT_CHARS, TOKEN_CHARS_BOUND } from '../../src/constructs/support/iam-document';
import { LAMBDA_ENV_LIMIT_BYTES } from '../../src/runtime/env';
import { ROUTES_FILE } from '../../src/runtime/routes';
import { readJsonencode } from '../constructs/support/hcl';
import { synthYaml, type Body, type SynthesizedApp } from '../constructs/support/synth';
import { manyGameIds, manyGamesYaml } from '../support/many-games';

const GAMES = 50;

/** A reference (`${aws_x.y.arn}`, `${element(split(...), 1)}`) as long as the longest value it can become. */
const REFERENCE = /\$\{[^}]*\}/g;
const atMost = (text: string): string => text.replace(REFERENCE, 'x'.repeat(TOKEN_CHARS_BOUND));

function resourcesOf(synth: SynthesizedApp, type: string): [string, Body][] {
  return Object.entries(synth.main.json.resource?.[type] ?? {});
}

/** Bytes of each function's environment (keys and values, as Lambda counts), references at their bound. */
function environmentSizes(synth: SynthesizedApp): Map<string, number> {
  return new Map(resourcesOf(synth, 'aws_lambda_function').map(([, fn]) => {
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    const bytes = Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(atMost(v)), 0);
    return [String(fn.function_name), bytes];
  }));
}

/** Characters IAM counts for each role's inline policies together (no whitespace), references at their bound. */
function policySizes(synth: SynthesizedApp): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [, policy] of resourcesOf(synth, 'aws_iam_role_policy')) {
    const role = /^\$\{aws_iam_role\.([^.]+)\.(id|name)\}$/.exec(String(policy.role))![1]!;
    const roleName = String(synth.main.json.resource!.aws_iam_role![role]!.name);
    const text = atMost(JSON.stringify(readJsonencode(String(policy.policy))));
    sizes.set(roleName, (sizes.get(roleName) ?? 0) + text.length);
  }
  return sizes;
}

describe(`${GAMES} games in one zone`, () => {
  let synth: SynthesizedApp;
  let one: SynthesizedApp;
  beforeAll(() => {
    synth = synthYaml(manyGamesYaml(GAMES));
    one = synthYaml(manyGamesYaml(1));
  });

  it('get every function of theirs: a waker and a notifier for the zone, three functions per game', () => {
    expect(resourcesOf(synth, 'aws_lambda_function')).toHaveLength(2 + 3 * GAMES);
    expect(resourcesOf(synth, 'aws_autoscaling_group')).toHaveLength(GAMES);
  });

  it('keep each function\'s environment within Lambda\'s 4 KB, however long the references become', () => {
    const sizes = environmentSizes(synth);
    expect(sizes.size).toBe(2 + 3 * GAMES);
    for (const [fn, bytes] of sizes) expect({ fn, fits: bytes <= LAMBDA_ENV_LIMIT_BYTES }).toEqual({ fn, fits: true });
    // The waker's does not grow with the games: its routing table is a file in its zip.
    expect(sizes.get('gm-waker')).toBe(environmentSizes(one).get('gm-waker'));
  });

  it('keep each role\'s inline policies within IAM\'s 10,240 characters, however long the references become', () => {
    const sizes = policySizes(synth);
    // Every role with inline policies (hosts and tasks too), and among them every function's.
    for (const [, fn] of resourcesOf(synth, 'aws_lambda_function')) expect(sizes.has(String(fn.function_name))).toBe(true);
    for (const [role, chars] of sizes) expect({ role, fits: chars <= ROLE_INLINE_POLICY_LIMIT_CHARS }).toEqual({ role, fits: true });
    // The waker grants by name pattern: the same policy for 1 game and for 50.
    expect(sizes.get('gm-waker')).toBe(policySizes(one).get('gm-waker'));
  });

  it('are all in the waker\'s routing table, packed in its zip', () => {
    const [, waker] = resourcesOf(synth, 'aws_lambda_function').find(([, fn]) => fn.function_name === 'gm-waker')!;
    const zip = unzipSync(readFileSync(join(synth.outdir, 'stacks', 'gamemanagement', String(waker.filename))));
    const routes = JSON.parse(Buffer.from(zip[ROUTES_FILE]!).toString('utf8')) as { id: string }[];
    expect(routes.map((r) => r.id)).toEqual(manyGameIds(GAMES));
  });

  it('share one code asset per function folder instead of copying a zip per function', () => {
    const files = new Set(resourcesOf(synth, 'aws_lambda_function').map(([, fn]) => fn.filename));
    expect(files.size).toBe(5);
  });

  it('stay within EventBridge\'s default 300 rules per event bus', () => {
    const rules = resourcesOf(synth, 'aws_cloudwatch_event_rule').filter(([, r]) => r.event_bus_name === undefined || r.event_bus_name === 'default');
    expect(rules.length).toBeLessThanOrEqual(300);
  });
});

describe('a game whose watchdog would need more than 4 KB of environment', () => {
  const yaml = (ports: number): string => [
    'region: eu-west-1',
    'domain: { name: example.com }',
    'state: { bucket: example-state-bucket }',
    'games:',
    '  mc:',
    '    image: itzg/minecraft-server',
    '    instanceType: t4g.medium',
    '    ports: [{ port: 25565 }]',
    '  crowded:',
    '    image: example/many-ports',
    '    instanceType: t3.large',
    `    ports: [${Array.from({ length: ports }, (_, i) => `{ port: ${20000 + i}, protocol: udp }`).join(', ')}]`,
    '',
  ].join('\n');

  it('fails the synth as a problem of that game, naming the function, the size and the limit', () => {
    const config = parseConfigText(yaml(150), 'crowded.yaml', {});
    let error: unknown;
    try {
      buildApp(config, undefined, [], 'crowded.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([{
      path: 'games.crowded',
      message: expect.stringMatching(/^the watchdog function of game crowded needs \d+ bytes of environment, past Lambda's limit of 4096; list fewer ports or shorten the game id and domain$/),
    }]);
    expect((error as ConfigError).format()).toMatch(/^crowded\.yaml has 1 problem:\n {2}games\.crowded: the watchdog function .*\nNothing was synthesized\. Fix the file and run again\.$/);
  });

  it('fits with a few ports less', () => {
    expect(() => buildApp(parseConfigText(yaml(60), 'crowded.yaml', {}))).not.toThrow();
  });
});

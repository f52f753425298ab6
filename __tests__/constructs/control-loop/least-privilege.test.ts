/**
 * Each function's role allows exactly what its code calls: every SDK command
 * it sends — in its own files or through the shared modules it uses — has its
 * IAM action, nothing else is granted, no wildcard actions, and only the
 * actions that cannot be scoped run on "*". Write actions name the game's own
 * resources; the waker, which serves every game, names them by pattern.
 */
import {
  ENTRIES, EXPECTED_CALLS, EXTRA_GRANTS, LOG_ACTIONS, RESOURCE_STAR_ALLOWED, PROBE_ONLY_ACTIONS, RESOURCE_STAR_WITH_CONDITION, SPOT_ONLY_ACTIONS, allFunctions, functionName,
} from './support/expected-calls';
import { allowedActions, functionStatements, resourcesFor, roleOf, statementsFor, type PolicyStatement } from './support/iam';
import { sdkCalls } from './support/lambda-sources';
import { THREE_GAMES, byName, resources, synthMain, type SynthResult } from './support/synth';

const GAMES = ['mc', 'valheim', 'terraria'];
/** In THREE_GAMES, terraria runs on spot. */
const SPOT_GAMES = new Set(['terraria']);

let synth: SynthResult;
beforeAll(() => {
  synth = synthMain(THREE_GAMES);
});

function statementsOfFunction(name: string): PolicyStatement[] {
  return functionStatements(synth.json, byName(synth.json, 'aws_lambda_function', name));
}

/** The game of a per-game function name (`gm-mc-watchdog` → mc). */
function gameOf(name: string): string | undefined {
  return GAMES.find((g) => name.startsWith(`gm-${g}-`));
}

/** In THREE_GAMES, how each game counts its players. */
const PROBES: Readonly<Record<string, string>> = { mc: 'query', valheim: 'connections', terraria: 'traffic' };

/** Actions of other probes than the game's own: its role must not have them. */
function otherProbesActions(entry: string, game: string | undefined): string[] {
  const byProbe = PROBE_ONLY_ACTIONS[entry] ?? {};
  return Object.entries(byProbe).filter(([probe]) => game === undefined || probe !== PROBES[game]).flatMap(([, actions]) => actions);
}

/** What the function's role must allow for its calls: all of them, but spot-only actions only on spot games, probe-only ones only for that probe. */
function actionsFor(entry: string, name: string): string[] {
  const game = gameOf(name);
  const spotOnly = new Set(game && !SPOT_GAMES.has(game) ? SPOT_ONLY_ACTIONS[entry] ?? [] : []);
  const otherProbes = new Set(otherProbesActions(entry, game));
  return Object.values(EXPECTED_CALLS[entry]!).filter((a) => !spotOnly.has(a) && !otherProbes.has(a));
}

describe('the code calls exactly the commands listed for it', () => {
  it.each([...ENTRIES])('%s', (entry) => {
    const calls = sdkCalls(entry);
    const found = [...new Set(calls.map((c) => c.command))].sort();
    // A command missing here is a new call: add it to EXPECTED_CALLS and grant its action in the construct.
    // A command listed but not found is gone from the code: drop it and its grant.
    expect(found).toEqual(Object.keys(EXPECTED_CALLS[entry]!).sort());
    for (const call of calls) {
      // The action derived from the import (package → service prefix) is the one the list names.
      expect({ command: call.command, file: call.file, action: call.iamAction }).toEqual({ command: call.command, file: call.file, action: EXPECTED_CALLS[entry]![call.command] });
    }
  });
});

describe.each(allFunctions('gm', GAMES))('$name ($entry)', ({ entry, name }) => {
  it('is allowed every action its code calls', () => {
    const allowed = allowedActions(statementsOfFunction(name));
    for (const action of actionsFor(entry, name)) expect({ action, allowed: allowed.has(action) }).toEqual({ action, allowed: true });
  });

  it('is allowed nothing beyond its calls, its extra grants and its own logs', () => {
    const expected = new Set([...actionsFor(entry, name), ...(EXTRA_GRANTS[entry] ?? []), ...LOG_ACTIONS]);
    expect([...allowedActions(statementsOfFunction(name))].sort()).toEqual([...expected].sort());
  });

  it('has only Allow statements that list their actions, none a wildcard', () => {
    for (const statement of statementsOfFunction(name)) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.keys).not.toContain('NotAction');
      expect(statement.keys).not.toContain('NotResource');
      for (const action of statement.Action) {
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
        expect(action).not.toContain('*');
      }
    }
  });

  it('uses Resource "*" only for actions that cannot be scoped', () => {
    for (const statement of statementsOfFunction(name)) {
      if (!statement.Resource.includes('*')) continue;
      for (const action of statement.Action) {
        if (RESOURCE_STAR_WITH_CONDITION.has(action)) {
          expect({ action, condition: statement.Condition !== undefined }).toEqual({ action, condition: true });
        } else {
          expect({ action, unscopable: RESOURCE_STAR_ALLOWED.has(action) }).toEqual({ action, unscopable: true });
        }
      }
    }
  });

  it('writes only to its own log group', () => {
    const fn = byName(synth.json, 'aws_lambda_function', name);
    const group = byName(synth.json, 'aws_cloudwatch_log_group', `/aws/lambda/${name}`);
    for (const action of LOG_ACTIONS) {
      expect(resourcesFor(statementsOfFunction(name), action)).toEqual([`\${aws_cloudwatch_log_group.${group.name}.arn}:*`]);
    }
    expect(fn.body.role).toBe(`\${aws_iam_role.${roleOf(synth.json, fn).name}.arn}`);
  });
});

describe('write actions name the exact resources of their game', () => {
  function asgArn(game: string): string {
    return `\${aws_autoscaling_group.${byName(synth.json, 'aws_autoscaling_group', `gm-${game}`).name}.arn}`;
  }
  function ruleArn(ruleName: string): string {
    return `\${aws_cloudwatch_event_rule.${byName(synth.json, 'aws_cloudwatch_event_rule', ruleName).name}.arn}`;
  }
  function parameterArn(game: string): string {
    return `\${aws_ssm_parameter.${byName(synth.json, 'aws_ssm_parameter', `/gm/${game}/watchdog-state`).name}.arn}`;
  }
  /** A parameter Terraform does not manage, by name: partition and account from the game's group ARN. */
  function runtimeParameterArn(game: string, name: string): string {
    const group = byName(synth.json, 'aws_autoscaling_group', `gm-${game}`).name;
    return `arn:\${element(split(":", aws_autoscaling_group.${group}.arn), 1)}:ssm:eu-central-1:\${element(split(":", aws_autoscaling_group.${group}.arn), 4)}:parameter${name}`;
  }
  const topicArn = (): string => `\${aws_sns_topic.${byName(synth.json, 'aws_sns_topic', 'gm-alerts').name}.arn}`;
  const failsafeArn = (game: string): string => `\${aws_lambda_function.${byName(synth.json, 'aws_lambda_function', `gm-${game}-failsafe`).name}.arn}`;

  it.each(GAMES)('%s: watchdog and failsafe stop only their own group, read only their own parameters', (game) => {
    for (const entry of ['watchdog', 'failsafe'] as const) {
      const statements = statementsOfFunction(functionName('gm', entry, game));
      expect(resourcesFor(statements, 'autoscaling:SetDesiredCapacity')).toEqual([asgArn(game)]);
      expect(resourcesFor(statements, 'sns:Publish')).toEqual([topicArn()]);
    }
    const watchdog = statementsOfFunction(functionName('gm', 'watchdog', game));
    expect(resourcesFor(watchdog, 'ssm:GetParameter')).toEqual([parameterArn(game), runtimeParameterArn(game, `/gm/${game}/session`)]);
    expect(resourcesFor(watchdog, 'ssm:PutParameter')).toEqual([parameterArn(game)]);
    expect(resourcesFor(watchdog, 'events:DisableRule')).toEqual([ruleArn(`gm-${game}-watchdog-schedule`)]);
    expect(resourcesFor(watchdog, 'lambda:InvokeFunction')).toEqual([failsafeArn(game)]);
    // It reads the game's own records, nothing else of the zone's.
    const zone = resources(synth.json, 'aws_route53_zone')[0]!;
    expect(resourcesFor(watchdog, 'route53:ListResourceRecordSets')).toEqual([
      expect.stringMatching(new RegExp(`:route53:::hostedzone/\\$\\{aws_route53_zone\\.${zone.name}\\.zone_id\\}$`)),
    ]);
    const failsafe = statementsOfFunction(functionName('gm', 'failsafe', game));
    expect(resourcesFor(failsafe, 'ssm:GetParameter')).toEqual([parameterArn(game)]);
    expect(resourcesFor(failsafe, 'ssm:PutParameter')).toEqual([parameterArn(game)]);
    expect(resourcesFor(failsafe, 'events:DescribeRule')).toEqual([ruleArn(`gm-${game}-watchdog-schedule`)]);
  });

  it.each(GAMES.filter((g) => PROBES[g] !== 'connections'))('%s: a game not counted by connections gets no Run Command', (game) => {
    const statements = statementsOfFunction(functionName('gm', 'watchdog', game));
    expect(statementsFor(statements, 'ssm:SendCommand')).toEqual([]);
    expect(statementsFor(statements, 'ssm:GetCommandInvocation')).toEqual([]);
  });

  it.each(GAMES.filter((g) => PROBES[g] === 'connections'))('%s: the watchdog sends its own document, and only to instances tagged with its game', (game) => {
    const statements = statementsOfFunction(functionName('gm', 'watchdog', game));
    const document = byName(synth.json, 'aws_ssm_document', `gm-${game}-count-connections`);
    const send = statementsFor(statements, 'ssm:SendCommand');
    const onDocument = send.filter((s) => s.Resource.includes(`\${aws_ssm_document.${document.name}.arn}`));
    const onInstances = send.filter((s) => s.Resource.some((r) => /:instance\/\*$/.test(r)));
    expect(onDocument).toHaveLength(1);
    expect(onInstances).toHaveLength(1);
    expect(onInstances[0]!.Condition).toEqual({ StringEquals: { 'ssm:resourceTag/gm:game': game } });
    // Each statement names only its document or only instances: nothing else may be sent anywhere.
    expect(send.flatMap((s) => s.Resource)).toHaveLength(2);
    // The instances carry that tag: the launch template tags every instance with its game.
    const template = resources(synth.json, 'aws_launch_template').find((t) => t.body.name === `gm-${game}` || String(t.body.name_prefix ?? '').startsWith(`gm-${game}`));
    const specs = (template?.body.tag_specifications ?? []) as { resource_type: string; tags: Record<string, string> }[];
    expect(specs.find((s) => s.resource_type === 'instance')?.tags['gm:game']).toBe(game);
  });

  it.each(GAMES)('%s: the instance hook starts, completes and switches only its own group, schedule, session and records', (game) => {
    const statements = statementsOfFunction(functionName('gm', 'instance-hook', game));
    expect(resourcesFor(statements, 'autoscaling:CompleteLifecycleAction')).toEqual([asgArn(game)]);
    expect(resourcesFor(statements, 'autoscaling:SetDesiredCapacity')).toEqual([asgArn(game)]);
    // Only a spot game falls back to on-demand, so only its hook may change the group.
    expect(resourcesFor(statements, 'autoscaling:UpdateAutoScalingGroup')).toEqual(SPOT_GAMES.has(game) ? [asgArn(game)] : []);
    expect(resourcesFor(statements, 'events:EnableRule')).toEqual([ruleArn(`gm-${game}-watchdog-schedule`)]);
    expect(resourcesFor(statements, 'events:DisableRule')).toEqual([ruleArn(`gm-${game}-watchdog-schedule`)]);
    const session = [runtimeParameterArn(game, `/gm/${game}/session`), runtimeParameterArn(game, `/gm/${game}/pending-wake`)];
    expect(resourcesFor(statements, 'ssm:GetParameter').sort()).toEqual([parameterArn(game), ...session].sort());
    expect(resourcesFor(statements, 'ssm:PutParameter').sort()).toEqual([parameterArn(game), ...session].sort());
    expect(resourcesFor(statements, 'ssm:DeleteParameter').sort()).toEqual([...session].sort());
    const service = byName(synth.json, 'aws_ecs_service', `gm-${game}`);
    expect(resourcesFor(statements, 'ecs:UpdateService')).toEqual([`\${aws_ecs_service.${service.name}.id}`]);
    expect(resourcesFor(statements, 'lambda:InvokeFunction')).toEqual([failsafeArn(game)]);
    expect(resourcesFor(statements, 'sns:Publish')).toEqual([topicArn()]);
    const zone = resources(synth.json, 'aws_route53_zone')[0]!;
    const [records] = statementsFor(statements, 'route53:ChangeResourceRecordSets');
    expect(records!.Resource).toEqual([expect.stringMatching(new RegExp(`^arn:\\$\\{element\\(split\\(":", aws_autoscaling_group\\.[^)]+\\.arn\\), 1\\)\\}:route53:::hostedzone/\\$\\{aws_route53_zone\\.${zone.name}\\.zone_id\\}$`))]);
    const fqdn = synth.config.games.find((g) => g.id === game)!.fqdn;
    expect(records!.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [fqdn],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    });
  });

  it.each(GAMES)('%s: ECS reads and drains only in its own cluster', (game) => {
    const cluster = byName(synth.json, 'aws_ecs_cluster', `gm-${game}`);
    const clusterArn = `\${aws_ecs_cluster.${cluster.name}.arn}`;
    const tasks = `\${replace(aws_ecs_cluster.${cluster.name}.arn, ":cluster/", ":task/")}/*`;
    for (const entry of ['failsafe', 'instance-hook'] as const) {
      const statements = statementsOfFunction(functionName('gm', entry, game));
      const [list] = statementsFor(statements, 'ecs:ListTasks');
      expect(list!.Condition).toEqual({ ArnEquals: { 'ecs:cluster': clusterArn } });
      expect(resourcesFor(statements, 'ecs:DescribeTasks')).toEqual([tasks]);
    }
    const hook = statementsOfFunction(functionName('gm', 'instance-hook', game));
    expect(resourcesFor(hook, 'ecs:ListContainerInstances')).toEqual([clusterArn]);
    expect(resourcesFor(hook, 'ecs:UpdateContainerInstancesState')).toEqual([`\${replace(aws_ecs_cluster.${cluster.name}.arn, ":cluster/", ":container-instance/")}/*`]);
  });
});

describe('the waker, serving every game, is scoped by name pattern', () => {
  const statements = (): PolicyStatement[] => statementsOfFunction('gm-waker');
  /** `${element(split(":", aws_sns_topic.<alerts>.arn), n)}`: partition (1) and account (4) of the alerts topic. */
  const part = (n: number): string => `\${element(split(":", aws_sns_topic.${byName(synth.json, 'aws_sns_topic', 'gm-alerts').name}.arn), ${n})}`;

  it('may start only groups named gm-*, in the game region', () => {
    expect(resourcesFor(statements(), 'autoscaling:SetDesiredCapacity')).toEqual([
      `arn:${part(1)}:autoscaling:eu-central-1:${part(4)}:autoScalingGroup:*:autoScalingGroupName/gm-*`,
    ]);
  });

  it('may claim and free only sessions and pending wakes under /gm/, in the game region', () => {
    const expected = [
      `arn:${part(1)}:ssm:eu-central-1:${part(4)}:parameter/gm/*/session`,
      `arn:${part(1)}:ssm:eu-central-1:${part(4)}:parameter/gm/*/pending-wake`,
    ];
    for (const action of ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter']) expect(resourcesFor(statements(), action)).toEqual(expected);
  });

  it('publishes only its notices and its final failures', () => {
    const failures = `\${aws_sns_topic.${byName(synth.json, 'aws_sns_topic', 'gm-waker-failures').name}.arn}`;
    const alerts = `\${aws_sns_topic.${byName(synth.json, 'aws_sns_topic', 'gm-alerts').name}.arn}`;
    expect(resourcesFor(statements(), 'sns:Publish').sort()).toEqual([alerts, failures].sort());
  });
});

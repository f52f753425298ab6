/**
 * What each game gets around its functions: lifecycle hooks and the rules
 * that run the instance hook (lifecycle actions, failed launches, spot
 * notices), the watchdog's schedule, every function's failure path, the
 * crash-loop rule, the state parameter, the count-connections document, the
 * max-hours alarm, and what Terraform leaves to the runtime on a spot group.
 */
import { readFileSync } from 'node:fs';
import { COUNT_CONNECTIONS_SCRIPT } from '../../../src/constructs/game/connections-document';
import { portsArgument } from '../../../src/lambdas/watchdog/probes/connections';
import { THREE_GAMES, byName, only, ref, resources, synthMain, type Body, type Named, type SynthResult } from '../control-loop/support/synth';

const GAMES = ['mc', 'valheim', 'terraria'] as const;

let synth: SynthResult;
beforeAll(() => {
  synth = synthMain(THREE_GAMES);
});

const fn = (name: string): Named => byName(synth.json, 'aws_lambda_function', name);
const rule = (name: string): Named => byName(synth.json, 'aws_cloudwatch_event_rule', name);
const group = (game: string): Named => byName(synth.json, 'aws_autoscaling_group', `gm-${game}`);
const topicArn = (): string => ref('aws_sns_topic', byName(synth.json, 'aws_sns_topic', 'gm-alerts'), 'arn');
const pattern = (r: Named): Body => JSON.parse(String(r.body.event_pattern)) as Body;

/** Asserts `rule` targets `target` and that `target` may be invoked by EventBridge from that rule alone. */
function expectRuleInvokes(r: Named, target: Named): void {
  const targets = resources(synth.json, 'aws_cloudwatch_event_target').filter((t) => t.body.rule === ref('aws_cloudwatch_event_rule', r, 'name'));
  expect(targets.map((t) => t.body.arn)).toEqual([ref('aws_lambda_function', target, 'arn')]);
  const permission = only(synth.json, 'aws_lambda_permission', (b) => b.source_arn === ref('aws_cloudwatch_event_rule', r, 'arn'));
  expect(permission.body).toMatchObject({
    principal: 'events.amazonaws.com',
    action: 'lambda:InvokeFunction',
    function_name: ref('aws_lambda_function', target, 'function_name'),
  });
}

describe.each(GAMES)('game %s', (game) => {
  const config = () => synth.config.games.find((g) => g.id === game)!;

  it('holds its instance at launch and termination, and never longer than the hook can run', () => {
    const hooks = resources(synth.json, 'aws_autoscaling_lifecycle_hook').filter((h) => h.body.autoscaling_group_name === ref('aws_autoscaling_group', group(game), 'name'));
    expect(hooks.map((h) => h.body.lifecycle_transition).sort()).toEqual(['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING']);
    const timeout = Number(fn(`gm-${game}-instance-hook`).body.timeout);
    for (const hook of hooks) {
      // A failed hook function must not keep an instance from starting or stopping.
      expect(hook.body.default_result).toBe('CONTINUE');
      expect(Number(hook.body.heartbeat_timeout)).toBeGreaterThan(timeout);
    }
  });

  it('sends its own group\'s lifecycle actions to its instance hook', () => {
    const lifecycle = rule(`gm-${game}-lifecycle`);
    expect(pattern(lifecycle)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action'],
      detail: { AutoScalingGroupName: [group(game).body.name] },
    });
    expectRuleInvokes(lifecycle, fn(`gm-${game}-instance-hook`));
  });

  it('sends its own group\'s failed launches to its instance hook', () => {
    const failed = rule(`gm-${game}-launch-failed`);
    expect(pattern(failed)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Unsuccessful'],
      detail: { AutoScalingGroupName: [group(game).body.name] },
    });
    expectRuleInvokes(failed, fn(`gm-${game}-instance-hook`));
  });

  it('hands the instance hook\'s final failure (after Lambda\'s retries) to the failsafe', () => {
    const configs = resources(synth.json, 'aws_lambda_function_event_invoke_config').filter((c) => c.body.function_name === ref('aws_lambda_function', fn(`gm-${game}-instance-hook`), 'function_name'));
    expect(configs).toHaveLength(1);
    expect(configs[0]!.body.maximum_retry_attempts).toBe(2);
    expect(configs[0]!.body.destination_config).toEqual({ on_failure: { destination: ref('aws_lambda_function', fn(`gm-${game}-failsafe`), 'arn') } });
  });

  it('sends the failsafe\'s own final failure to the alerts topic (nothing else would tell the user)', () => {
    const configs = resources(synth.json, 'aws_lambda_function_event_invoke_config').filter((c) => c.body.function_name === ref('aws_lambda_function', fn(`gm-${game}-failsafe`), 'function_name'));
    expect(configs).toHaveLength(1);
    expect(configs[0]!.body.destination_config).toEqual({ on_failure: { destination: topicArn() } });
  });

  it('leaves a spot group\'s on-demand base capacity to the instance hook, and the desired capacity of every group to the runtime', () => {
    const ignored = (group(game).body.lifecycle as { ignore_changes: string[] }).ignore_changes;
    expect(ignored).toContain('desired_capacity');
    const onDemandBase = 'mixed_instances_policy[0].instances_distribution[0].on_demand_base_capacity';
    expect(ignored.includes(onDemandBase)).toBe(config().spot);
    if (config().spot) {
      // The path names a field the group has: the mixed instances policy with its instances distribution.
      const policy = group(game).body.mixed_instances_policy as { instances_distribution: { on_demand_base_capacity: number } };
      expect(policy.instances_distribution.on_demand_base_capacity).toBe(0);
    }
  });

  it('has a spot-warning rule exactly when it runs on spot', () => {
    const spotRules = resources(synth.json, 'aws_cloudwatch_event_rule').filter((r) => r.body.name === `gm-${game}-spot-warning`);
    expect(spotRules).toHaveLength(config().spot ? 1 : 0);
    if (config().spot) {
      expect(pattern(spotRules[0]!)).toEqual({ source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] });
      expectRuleInvokes(spotRules[0]!, fn(`gm-${game}-instance-hook`));
    }
  });

  it('runs its watchdog every minute from a schedule created disabled and left to the instance hook', () => {
    const schedule = rule(`gm-${game}-watchdog-schedule`);
    expect(schedule.body.schedule_expression).toBe('rate(1 minute)');
    expect(schedule.body.state).toBe('DISABLED');
    expect((schedule.body.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain('state');
    expectRuleInvokes(schedule, fn(`gm-${game}-watchdog`));
  });

  it('hands a failed watchdog run to the failsafe at once, without retries', () => {
    const configs = resources(synth.json, 'aws_lambda_function_event_invoke_config').filter((c) => c.body.function_name === ref('aws_lambda_function', fn(`gm-${game}-watchdog`), 'function_name'));
    expect(configs).toHaveLength(1);
    expect(configs[0]!.body.maximum_retry_attempts).toBe(0);
    expect(configs[0]!.body.destination_config).toEqual({ on_failure: { destination: ref('aws_lambda_function', fn(`gm-${game}-failsafe`), 'arn') } });
  });

  it('sends its own cluster\'s stopped tasks to the failsafe', () => {
    const stopped = rule(`gm-${game}-task-stopped`);
    const p = pattern(stopped) as { source: string[]; 'detail-type': string[]; detail: Record<string, string[]> };
    expect(p.source).toEqual(['aws.ecs']);
    expect(p['detail-type']).toEqual(['ECS Task State Change']);
    expect(p.detail.lastStatus).toEqual(['STOPPED']);
    expect(p.detail.clusterArn).toEqual([ref('aws_ecs_cluster', byName(synth.json, 'aws_ecs_cluster', `gm-${game}`), 'arn')]);
    expectRuleInvokes(stopped, fn(`gm-${game}-failsafe`));
  });

  it('keeps the watchdog state in a parameter Terraform creates but never resets', () => {
    const parameter = byName(synth.json, 'aws_ssm_parameter', `/gm/${game}/watchdog-state`);
    expect(parameter.body.type).toBe('String');
    expect((parameter.body.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain('value');
  });

  it('has a max-hours alarm on its group\'s in-service instances', () => {
    const alarm = byName(synth.json, 'aws_cloudwatch_metric_alarm', `gm-${game}-up-too-long`);
    expect(alarm.body).toMatchObject({
      namespace: 'AWS/AutoScaling',
      metric_name: 'GroupInServiceInstances',
      dimensions: { AutoScalingGroupName: ref('aws_autoscaling_group', group(game), 'name') },
      evaluation_periods: Math.ceil(config().watchdog.maxHours),
    });
    const policies = resources(synth.json, 'aws_autoscaling_policy').filter((p) => p.body.autoscaling_group_name === ref('aws_autoscaling_group', group(game), 'name'));
    if (config().watchdog.stopAfterMaxHours) {
      expect(policies).toHaveLength(1);
      expect(policies[0]!.body).toMatchObject({ adjustment_type: 'ExactCapacity', scaling_adjustment: 0 });
      expect(alarm.body.alarm_actions).toEqual([topicArn(), ref('aws_autoscaling_policy', policies[0]!, 'arn')]);
    } else {
      expect(policies).toHaveLength(0);
      expect(alarm.body.alarm_actions).toEqual([topicArn()]);
    }
    // The metric exists only when the group publishes it.
    expect(group(game).body.enabled_metrics).toContain('GroupInServiceInstances');
  });

  describe('count-connections document', () => {
    interface DocumentContent {
      parameters: { ports: { allowedPattern: string } };
      mainSteps: { action: string; inputs: { runCommand: string[] } }[];
    }
    const content = (): DocumentContent => {
      const document = byName(synth.json, 'aws_ssm_document', `gm-${game}-count-connections`);
      expect(document.body.document_type).toBe('Command');
      expect(document.body.document_format).toBe('JSON');
      return JSON.parse(String(document.body.content)) as DocumentContent;
    };

    it('embeds count-connections.sh byte for byte', () => {
      const lines = content().mainSteps.flatMap((s) => s.inputs.runCommand);
      const embedded = lines.map((l) => /^echo '([A-Za-z0-9+/=]+)' \| base64 -d/.exec(l)?.[1]).filter((b): b is string => b !== undefined);
      expect(embedded).toHaveLength(1);
      expect(Buffer.from(embedded[0]!, 'base64').toString('utf8')).toBe(readFileSync(COUNT_CONNECTIONS_SCRIPT, 'utf8'));
    });

    it('lets only port lists through to the shell', () => {
      const allowed = new RegExp(content().parameters.ports.allowedPattern);
      expect(allowed.test('tcp:25565 udp:19132')).toBe(true);
      expect(allowed.test('tcp:25565')).toBe(true);
      for (const bad of ['tcp:1; rm -rf /', 'tcp:1 $(reboot)', "tcp:1' ; id '", 'tcp:1\nid', '', 'sctp:1']) expect({ bad, ok: allowed.test(bad) }).toEqual({ bad, ok: false });
      // What the watchdog sends for this game passes the pattern.
      expect(allowed.test(portsArgument(config().ports))).toBe(true);
    });
  });
});

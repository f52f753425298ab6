import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Testing } from 'cdktf';
import { actionsOf, readBase64Script, readPolicy } from '../support/hcl';
import { configDocument, minecraft, spotNoVolumes, valheim } from '../support/fixtures';
import { only, ref, resources, synthDocument, type NamedResource, type SynthesizedApp } from '../support/synth';

Testing.setupJest();

const ARM_AMI = 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id';
const X86_AMI = 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

function launchTemplate(synth: SynthesizedApp, game: string): NamedResource {
  return only(synth.main.json, 'aws_launch_template', (b) => b.name === `gm-${game}`);
}

function group(synth: SynthesizedApp, game: string): NamedResource {
  return only(synth.main.json, 'aws_autoscaling_group', (b) => b.name === `gm-${game}`);
}

function hostRole(synth: SynthesizedApp, game: string): NamedResource {
  return only(synth.main.json, 'aws_iam_role', (b) => b.name === `gm-${game}-host`);
}

describe('game host', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft(), tr: spotNoVolumes() }));
  });

  describe('launch template', () => {
    it('resolves the ECS-optimised AL2023 AMI through SSM at launch: arm64 for t4g, x86_64 for t3', () => {
      expect(launchTemplate(synth, 'mc').body.image_id).toBe(ARM_AMI);
      expect(launchTemplate(synth, 'tr').body.image_id).toBe(X86_AMI);
    });

    it('requires IMDSv2 with a hop limit of 1, so containers cannot reach the host credentials', () => {
      for (const game of ['mc', 'tr']) {
        expect(launchTemplate(synth, game).body.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
      }
    });

    it('boots from an encrypted gp3 root volume of the configured size', () => {
      const mounts = (rootVolumeGiB: number | undefined, text: string) => expect(text).toHaveResourceWithProperties(LaunchTemplate, {
        name: 'gm-mc',
        block_device_mappings: [expect.objectContaining({
          device_name: '/dev/xvda',
          ebs: expect.objectContaining({ volume_type: 'gp3', encrypted: 'true', volume_size: rootVolumeGiB ?? 30 }),
        })],
      });
      mounts(undefined, synth.main.text);
      const bigger = synthDocument(configDocument({ mc: { ...minecraft(), rootVolumeGiB: 64 } }));
      mounts(64, bigger.main.text);
    });

    it('configures the ECS agent in user data: own cluster, 120 s stop timeout (90 s on spot), task roles on', () => {
      const expectations = [['mc', '120s'], ['tr', '90s']] as const;
      for (const [game, timeout] of expectations) {
        const script = readBase64Script(launchTemplate(synth, game).body.user_data);
        const cluster = only(synth.main.json, 'aws_ecs_cluster', (b) => b.name === `gm-${game}`);
        expect(script.startsWith('#!/bin/bash\n')).toBe(true);
        const lines = script.split('\n');
        expect(lines).toContain(`ECS_CLUSTER=${ref('aws_ecs_cluster', cluster, 'name')}`);
        expect(lines).toContain(`ECS_CONTAINER_STOP_TIMEOUT=${timeout}`);
        expect(lines).toContain('ECS_ENABLE_TASK_IAM_ROLE=true');
        expect(lines).toContain('ECS_ENABLE_SPOT_INSTANCE_DRAINING=true');
        expect(lines).toContain('ECS_DISABLE_PRIVILEGED=true');
        expect(script).toContain('/etc/ecs/ecs.config');
      }
    });

    it('installs conntrack-tools only where the connections probe must count UDP players', () => {
      const withUdp = synthDocument(configDocument({ mc: minecraft(), vh: valheim() }));
      const script = (game: string) => readBase64Script(launchTemplate(withUdp, game).body.user_data);
      // In the background (systemd-run --no-block): the agent waits for user data to finish.
      expect(script('vh')).toMatch(/^systemd-run --no-block --unit=[\w-]+ dnf install -y -q conntrack-tools$/m);
      expect(script('mc')).not.toContain('conntrack');
    });

    it('attaches the game host group and instance profile, with a public address', () => {
      const lt = launchTemplate(synth, 'mc');
      const sg = only(synth.main.json, 'aws_security_group', (b) => b.name === 'gm-mc-host');
      expect(lt.body.network_interfaces).toEqual([expect.objectContaining({
        device_index: 0, associate_public_ip_address: 'true', security_groups: [ref('aws_security_group', sg, 'id')],
      })]);
      const profile = only(synth.main.json, 'aws_iam_instance_profile', (b) => b.name === 'gm-mc-host');
      expect(lt.body.iam_instance_profile).toEqual({ arn: ref('aws_iam_instance_profile', profile, 'arn') });
      expect(profile.body.role).toBe(ref('aws_iam_role', hostRole(synth, 'mc'), 'name'));
    });
  });

  describe('auto scaling group', () => {
    it('runs 0..1 instances, created at 0, in the public subnet', () => {
      const subnetId = ref('aws_subnet', only(synth.main.json, 'aws_subnet'), 'id');
      for (const game of ['mc', 'tr']) {
        expect(group(synth, game).body).toMatchObject({ min_size: 0, max_size: 1, desired_capacity: 0, vpc_zone_identifier: [subnetId] });
      }
    });

    it('leaves the desired capacity to the runtime (ignore_changes), so a deploy never stops a game in play', () => {
      for (const game of ['mc', 'tr']) {
        const lifecycle = group(synth, game).body.lifecycle as { ignore_changes?: string[] } | undefined;
        expect(lifecycle?.ignore_changes).toEqual(expect.arrayContaining(['desired_capacity']));
      }
    });

    it('uses the launch template directly on demand, with the instance type on the template', () => {
      const lt = launchTemplate(synth, 'mc');
      expect(synth.main.text).toHaveResourceWithProperties(AutoscalingGroup, {
        name: 'gm-mc',
        launch_template: expect.objectContaining({ id: ref('aws_launch_template', lt, 'id') }),
      });
      expect(group(synth, 'mc').body).not.toHaveProperty('mixed_instances_policy');
      expect(lt.body.instance_type).toBe('t4g.medium');
    });

    it('on spot, uses a mixed instances policy with 0 % on-demand and the configured type', () => {
      const lt = launchTemplate(synth, 'tr');
      const asg = group(synth, 'tr').body;
      expect(asg).not.toHaveProperty('launch_template');
      expect(asg.mixed_instances_policy).toMatchObject({
        instances_distribution: { on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0 },
        launch_template: {
          launch_template_specification: expect.objectContaining({ launch_template_id: ref('aws_launch_template', lt, 'id') }),
          override: [expect.objectContaining({ instance_type: 't3.medium' })],
        },
      });
    });
  });

  describe('instance role', () => {
    it('is trusted by EC2 only', () => {
      const trust = readPolicy(hostRole(synth, 'mc').body.assume_role_policy).Statement;
      expect(trust).toEqual([expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
    });

    it('has inline policies only: no managed policy attachment or managed_policy_arns', () => {
      for (const game of ['mc', 'tr']) {
        const role = hostRole(synth, game);
        expect(role.body).not.toHaveProperty('managed_policy_arns');
        const byRole = (b: Record<string, unknown>) => b.role === ref('aws_iam_role', role, 'name') || b.role === ref('aws_iam_role', role, 'id');
        expect(resources(synth.main.json, 'aws_iam_role_policy_attachment').filter((a) => byRole(a.body))).toEqual([]);
        expect(resources(synth.main.json, 'aws_iam_policy_attachment')).toEqual([]);
        expect(resources(synth.main.json, 'aws_iam_role_policy').filter((p) => byRole(p.body)).length).toBeGreaterThan(0);
      }
    });

    it('lets the agent register only with its own cluster and write only to its own log group', () => {
      const role = hostRole(synth, 'mc');
      const cluster = only(synth.main.json, 'aws_ecs_cluster', (b) => b.name === 'gm-mc');
      const logs = only(synth.main.json, 'aws_cloudwatch_log_group', (b) => b.name === '/gm/mc/game');
      const statements = resources(synth.main.json, 'aws_iam_role_policy')
        .filter((p) => p.body.role === ref('aws_iam_role', role, 'id'))
        .flatMap((p) => readPolicy(p.body.policy).Statement);
      const register = statements.filter((s) => actionsOf(s).includes('ecs:RegisterContainerInstance'));
      expect(register).toHaveLength(1);
      expect(register[0]!.Resource).toBe(ref('aws_ecs_cluster', cluster, 'arn'));
      const putLogs = statements.filter((s) => actionsOf(s).includes('logs:PutLogEvents'));
      expect(putLogs.map((s) => s.Resource)).toEqual([`${ref('aws_cloudwatch_log_group', logs, 'arn')}:*`]);
      // No wildcard admin grants.
      expect(statements.flatMap(actionsOf).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    });
  });
});

import { Testing } from 'cdktf';
import { readBase64Script } from '../support/hcl';
import { configDocument, minecraft, valheim } from '../support/fixtures';
import { belongsToGame, only, ref, resources, synthDocument, type SynthesizedApp } from '../support/synth';

Testing.setupJest();

/** Types every game has exactly one of, each named after its game. */
const NAMED_PER_GAME = [
  'aws_autoscaling_group',
  'aws_launch_template',
  'aws_ecs_cluster',
  'aws_ecs_service',
  'aws_ecs_task_definition',
  'aws_iam_instance_profile',
] as const;

describe('two games', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft(), vh: valheim() }));
  });

  it('gives each game its own host, cluster, service, task definition and instance profile, named gm-<game>', () => {
    for (const type of NAMED_PER_GAME) {
      const all = resources(synth.main.json, type);
      expect({ type, count: all.length }).toEqual({ type, count: 2 });
      for (const game of ['mc', 'vh']) {
        expect({ type, game, count: all.filter((r) => belongsToGame(r.body, 'gm', game)).length }).toEqual({ type, game, count: 1 });
      }
    }
  });

  it('gives each game its own two security groups, host role, log group, mount target and records', () => {
    for (const game of ['mc', 'vh']) {
      only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${game}-host`);
      only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${game}-world-nfs`);
      only(synth.main.json, 'aws_iam_role', (b) => b.name === `gm-${game}-host`);
      only(synth.main.json, 'aws_cloudwatch_log_group', (b) => b.name === `/gm/${game}/game`);
      only(synth.main.json, 'aws_route53_record', (b) => b.name === `${game}.example.com` && b.type === 'A');
    }
    expect(resources(synth.main.json, 'aws_security_group')).toHaveLength(4);
    expect(resources(synth.main.json, 'aws_efs_mount_target')).toHaveLength(2);
  });

  it('gives each game its own world: file system, task role, access point, policies', () => {
    expect(resources(synth.worlds.json, 'aws_efs_file_system').map((r) => r.body.creation_token).sort()).toEqual(['gm-mc-world', 'gm-vh-world']);
    // One task role per game, and the deployment's one backup role and one restore role.
    expect(resources(synth.worlds.json, 'aws_iam_role').map((r) => r.body.name).sort()).toEqual(['gm-mc-task', 'gm-vh-task', 'gm-world-backup', 'gm-world-restore']);
    for (const type of ['aws_efs_access_point', 'aws_efs_backup_policy', 'aws_efs_file_system_policy', 'aws_backup_selection']) {
      expect({ type, count: resources(synth.worlds.json, type).length }).toEqual({ type, count: 2 });
    }
    // Each file system policy admits its own game's task role only.
    for (const game of ['mc', 'vh']) {
      const fs = only(synth.worlds.json, 'aws_efs_file_system', (b) => b.creation_token === `gm-${game}-world`);
      const role = only(synth.worlds.json, 'aws_iam_role', (b) => b.name === `gm-${game}-task`);
      const other = only(synth.worlds.json, 'aws_iam_role', (b) => b.name !== `gm-${game}-task` && String(b.name).endsWith('-task'));
      const policy = only(synth.worlds.json, 'aws_efs_file_system_policy', (b) => b.file_system_id === ref('aws_efs_file_system', fs, 'id'));
      expect(String(policy.body.policy)).toContain(ref('aws_iam_role', role, 'arn').slice(2, -1));
      expect(String(policy.body.policy)).not.toContain(ref('aws_iam_role', other, 'arn').slice(2, -1));
    }
  });

  it('wires every game resource to its own game and never to the other one', () => {
    for (const [game, other] of [['mc', 'vh'], ['vh', 'mc']] as const) {
      const cluster = only(synth.main.json, 'aws_ecs_cluster', (b) => b.name === `gm-${game}`);
      const otherCluster = only(synth.main.json, 'aws_ecs_cluster', (b) => b.name === `gm-${other}`);
      const lt = only(synth.main.json, 'aws_launch_template', (b) => b.name === `gm-${game}`);
      const script = readBase64Script(lt.body.user_data);
      expect(script).toContain(`ECS_CLUSTER=${ref('aws_ecs_cluster', cluster, 'name')}`);
      expect(script).not.toContain(otherCluster.name);

      const hostSg = only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${game}-host`);
      expect(JSON.stringify(lt.body.network_interfaces)).toContain(hostSg.name);
      const otherHostSg = only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${other}-host`);
      expect(JSON.stringify(lt.body.network_interfaces)).not.toContain(otherHostSg.name);

      const service = only(synth.main.json, 'aws_ecs_service', (b) => b.name === `gm-${game}`);
      expect(service.body.cluster).toBe(ref('aws_ecs_cluster', cluster, 'arn'));
      const asg = only(synth.main.json, 'aws_autoscaling_group', (b) => b.name === `gm-${game}`);
      expect(JSON.stringify(asg.body)).toContain(lt.name);

      const mountSg = only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${game}-world-nfs`);
      const mount = only(synth.main.json, 'aws_efs_mount_target', (b) => (b.security_groups as string[]).includes(ref('aws_security_group', mountSg, 'id')));
      // The file system has a stable Terraform name, world_<game>, so removed blocks can name it.
      expect(String(mount.body.file_system_id)).toContain(`aws_efs_file_systemworld_${game}id`);
      const task = only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === `gm-${game}`);
      expect(String(task.body.task_role_arn)).toContain(`world-${game}_task-role`);
      expect(JSON.stringify(task.body.volume)).not.toContain(`world-${other}_`);
      expect(JSON.stringify(task.body.volume)).not.toContain(`world_${other}`);
    }
  });

  it('keeps every name unique across games', () => {
    for (const type of [...NAMED_PER_GAME, 'aws_security_group', 'aws_iam_role']) {
      const names = resources(synth.main.json, type).map((r) => String(r.body.name ?? r.body.family));
      expect(new Set(names).size).toBe(names.length);
    }
  });
});

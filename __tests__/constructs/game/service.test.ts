import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Testing } from 'cdktf';
import { configDocument, minecraft, spotNoVolumes } from '../support/fixtures';
import { containerDefinitions, only, ref, synthDocument, type Body, type NamedResource, type SynthesizedApp } from '../support/synth';

Testing.setupJest();

const WORLDS_REMOTE = 'data.terraform_remote_state.cross-stack-reference-input-gamemanagement-worlds.outputs.';

function task(synth: SynthesizedApp, game: string): NamedResource {
  return only(synth.main.json, 'aws_ecs_task_definition', (b) => b.family === `gm-${game}`);
}

function container(synth: SynthesizedApp, game: string): Body {
  const containers = containerDefinitions(task(synth, game).body);
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

describe('game service', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft(), tr: spotNoVolumes() }));
  });

  describe('task definition', () => {
    it('runs the configured image with its ports mapped one to one, in bridge mode on EC2', () => {
      expect(synth.main.text).toHaveResourceWithProperties(EcsTaskDefinition, {
        family: 'gm-mc', network_mode: 'bridge', requires_compatibilities: ['EC2'],
      });
      const mc = container(synth, 'mc');
      expect(mc.image).toBe('itzg/minecraft-server:java21');
      expect(mc.portMappings).toEqual([{ containerPort: 25565, hostPort: 25565, protocol: 'tcp' }]);
      expect(mc.essential).toBe(true);
    });

    it('passes the configured environment, EULA included', () => {
      const env = container(synth, 'mc').environment as { name: string; value: string }[];
      expect(env).toEqual(expect.arrayContaining([{ name: 'EULA', value: 'TRUE' }, { name: 'TYPE', value: 'PAPER' }]));
      expect(env).toHaveLength(2);
    });

    it('limits memory to the resolved game memory (the instance minus what the host keeps, or memoryMiB)', () => {
      const mcMemory = synth.config.games.find((g) => g.id === 'mc')!.memoryMiB;
      expect(mcMemory).toBeLessThan(4096);
      expect(container(synth, 'mc').memory).toBe(mcMemory);
      expect(container(synth, 'tr').memory).toBe(3000);
    });

    it('gives the game 120 s to save after SIGTERM, 90 s on spot, and never runs privileged', () => {
      expect(container(synth, 'mc')).toMatchObject({ stopTimeout: 120, privileged: false });
      expect(container(synth, 'tr')).toMatchObject({ stopTimeout: 90, privileged: false });
    });

    it('sends logs to the game log group in the game region', () => {
      const logs = only(synth.main.json, 'aws_cloudwatch_log_group', (b) => b.name === '/gm/mc/game');
      expect(container(synth, 'mc').logConfiguration).toMatchObject({
        logDriver: 'awslogs',
        options: { 'awslogs-group': ref('aws_cloudwatch_log_group', logs, 'name'), 'awslogs-region': 'eu-west-1' },
      });
    });

    it('mounts the world from EFS with transit encryption, IAM and its access point', () => {
      const volumes = task(synth, 'mc').body.volume as Body[];
      expect(volumes).toHaveLength(1);
      expect(volumes[0]).toMatchObject({
        efs_volume_configuration: {
          file_system_id: expect.stringContaining(`${WORLDS_REMOTE}cross-stack-output-aws_efs_file_systemworld_mcid`),
          transit_encryption: 'ENABLED',
          authorization_config: {
            iam: 'ENABLED',
            access_point_id: expect.stringContaining(`${WORLDS_REMOTE}cross-stack-output-aws_efs_access_pointworld-mc_volume-0`),
          },
        },
      });
      expect(container(synth, 'mc').mountPoints).toEqual([expect.objectContaining({ sourceVolume: volumes[0]!.name, containerPath: '/data' })]);
    });

    it('sets the task role (from the worlds stack) only for a game with volumes', () => {
      expect(task(synth, 'mc').body.task_role_arn).toEqual(expect.stringContaining(`${WORLDS_REMOTE}cross-stack-output-aws_iam_roleworld-mc_task-role`));
      const tr = task(synth, 'tr').body;
      expect(tr).not.toHaveProperty('task_role_arn');
      expect((tr.volume as Body[] | undefined) ?? []).toEqual([]);
      expect(container(synth, 'tr').mountPoints ?? []).toEqual([]);
    });
  });

  describe('service', () => {
    it('is created at 0 tasks and never runs two at once (min healthy 0, max 100)', () => {
      for (const game of ['mc', 'tr']) {
        expect(synth.main.text).toHaveResourceWithProperties(EcsService, {
          name: `gm-${game}`,
          desired_count: 0,
          deployment_minimum_healthy_percent: 0,
          deployment_maximum_percent: 100,
        });
      }
    });

    it('runs on the game cluster with the game task definition', () => {
      const service = only(synth.main.json, 'aws_ecs_service', (b) => b.name === 'gm-mc');
      const cluster = only(synth.main.json, 'aws_ecs_cluster', (b) => b.name === 'gm-mc');
      expect(service.body.cluster).toBe(ref('aws_ecs_cluster', cluster, 'arn'));
      expect(service.body.task_definition).toBe(ref('aws_ecs_task_definition', task(synth, 'mc'), 'arn'));
    });

    it('leaves desired count and running task definition to the runtime (ignore_changes)', () => {
      for (const game of ['mc', 'tr']) {
        const service = only(synth.main.json, 'aws_ecs_service', (b) => b.name === `gm-${game}`);
        const lifecycle = service.body.lifecycle as { ignore_changes?: string[] } | undefined;
        expect(lifecycle?.ignore_changes).toEqual(expect.arrayContaining(['desired_count', 'task_definition']));
      }
    });
  });
});

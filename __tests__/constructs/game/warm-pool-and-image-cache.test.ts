/**
 * The host of a warm-pool game (warm pool block, agent settings, boot steps
 * at every start from the pool), the image pulled at boot, and the ECR
 * pull-through cache (rule, rewritten image, host role grants).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { GameHost, type GameHostProps } from '../../../src/constructs/game/host';
import { HOST_BOOT_PROGRAM, HOST_BOOT_UNIT, hostUserData, WARM_PULL_TIMEOUT_SECONDS } from '../../../src/constructs/game/host-user-data';
import { gameImage } from '../../../src/constructs/game/image-cache';
import { InstanceRole } from '../../../src/constructs/game/instance-role';
import { GameService } from '../../../src/constructs/game/service';
import { actionsOf, readBase64Script, readPolicy } from '../support/hcl';
import { containerDefinitions, only, resources, type TerraformJson } from '../support/synth';

Testing.setupJest();

function synth(build: (scope: Construct) => void): TerraformJson & { readonly locals?: Record<string, unknown> } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

const HOST: GameHostProps = {
  prefix: 'gm',
  gameId: 'mc',
  instanceType: 't4g.medium',
  architecture: 'arm64',
  subnetId: 'subnet-0123',
  securityGroupId: 'sg-0123',
  instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/gm-mc-host',
  clusterName: 'gm-mc',
  stopTimeoutSeconds: 120,
  world: { fileSystemId: 'fs-0123456789abcdef0', region: 'eu-west-1' },
};

function host(props: Partial<GameHostProps>): { group: Record<string, unknown>; script: string } {
  const json = synth((scope) => new GameHost(scope, 'host', { ...HOST, ...props }));
  return {
    group: only(json, 'aws_autoscaling_group').body,
    script: readBase64Script(only(json, 'aws_launch_template').body.user_data),
  };
}

describe('a warm-pool host', () => {
  const warm = host({ warmPool: true, prePullImage: 'itzg/minecraft-server:java21' });
  const cold = host({ prePullImage: 'itzg/minecraft-server:java21' });

  it('keeps one stopped instance in the pool and returns it there on scale in', () => {
    expect(warm.group.warm_pool).toEqual({ pool_state: 'Stopped', min_size: 0, instance_reuse_policy: { reuse_on_scale_in: true } });
    // A plain launch template group: AWS refuses a warm pool with a mixed instances policy.
    expect(warm.group.launch_template).toEqual({ id: expect.stringContaining('aws_launch_template'), version: '$Latest' });
    expect(warm.group.mixed_instances_policy).toBeUndefined();
    expect(cold.group.warm_pool).toBeUndefined();
  });

  it('refuses to build a warm pool on a spot group', () => {
    expect(() => host({ warmPool: true, spot: true })).toThrow(/warm pool on a spot group/);
  });

  it('keeps the agent unregistered while warmed, and lets it use the cached image', () => {
    const settings = (script: string) => script.split('\n');
    expect(settings(warm.script)).toEqual(expect.arrayContaining(['ECS_WARM_POOLS_CHECK=true', 'ECS_IMAGE_PULL_BEHAVIOR=prefer-cached']));
    expect(settings(cold.script)).toContain('ECS_IMAGE_PULL_BEHAVIOR=prefer-cached');
    expect(cold.script).not.toContain('ECS_WARM_POOLS_CHECK');
    expect(cold.script).not.toContain('ECS_IMAGE_PULL_BEHAVIOR=once');
  });

  it('runs the boot steps (world mount, pending restore, image pull) at every boot, before the ECS agent', () => {
    const lines = warm.script.split('\n');
    const program = lines.slice(lines.indexOf(`cat > ${HOST_BOOT_PROGRAM} <<'GM_BOOT'`) + 1, lines.indexOf('GM_BOOT'));
    expect(program[0]).toBe('#!/bin/bash');
    expect(program.join('\n')).toContain('mount -t efs -o tls,iam fs-0123456789abcdef0:/ /mnt/gm-world');
    expect(program.join('\n')).toContain('/usr/local/sbin/gm-world-swap /mnt/gm-world /gm/mc/world-swap');
    expect(program.join('\n')).toContain("docker pull 'itzg/minecraft-server:java21'");
    const unit = lines.slice(lines.indexOf(`cat > /etc/systemd/system/${HOST_BOOT_UNIT} <<'GM_UNIT'`) + 1, lines.indexOf('GM_UNIT'));
    expect(unit).toEqual(expect.arrayContaining(['Before=ecs.service', 'Type=oneshot', `ExecStart=${HOST_BOOT_PROGRAM}`, 'WantedBy=multi-user.target']));
    // Enabled for the later boots (starts from the pool), and run now for this one.
    expect(lines.slice(lines.indexOf('GM_UNIT') + 1)).toEqual([`systemctl enable ${HOST_BOOT_UNIT}`, HOST_BOOT_PROGRAM, '']);
  });

  it('pulls in the foreground only on the way into the pool, in the background on the way into service', () => {
    const program = warm.script.slice(warm.script.indexOf("<<'GM_BOOT'"), warm.script.indexOf('\nGM_BOOT\n'));
    expect(program).toContain('/latest/meta-data/autoscaling/target-lifecycle-state');
    expect(program).toMatch(new RegExp(`^  Warmed:\\*\\) systemctl start docker && timeout ${WARM_PULL_TIMEOUT_SECONDS} docker pull 'itzg/minecraft-server:java21' \\|\\| echo`, 'm'));
    expect(program).toMatch(/^ {2}\*\) systemd-run --no-block --unit=gm-image-pull --property=After=docker\.service --property=Requires=docker\.service docker pull 'itzg\/minecraft-server:java21' \|\| echo/m);
  });

  it('a cold host pulls in the background straight from user data, before the world, and keeps its boot as it was', () => {
    const lines = cold.script.split('\n');
    const pull = lines.findIndex((l) => l.startsWith('systemd-run --no-block --unit=gm-image-pull'));
    expect(pull).toBeGreaterThan(lines.indexOf('EOF'));
    expect(pull).toBeLessThan(lines.findIndex((l) => l.includes('mount -t efs')));
    expect(cold.script).not.toContain(HOST_BOOT_UNIT);
    // Without an image to pull, the user data is the one a cold host always had.
    const withoutPull = hostUserData({ clusterName: 'c', stopTimeoutSeconds: 120, reservedMemoryMiB: 256, world: { fileSystemId: 'fs-1', region: 'eu-west-1', swapParameterName: '/gm/mc/world-swap' } });
    expect(withoutPull).not.toContain('docker pull');
    expect(withoutPull).not.toContain('GM_BOOT');
  });

  it('a warm host without a world or an image to pull has no boot unit', () => {
    expect(hostUserData({ clusterName: 'c', stopTimeoutSeconds: 120, reservedMemoryMiB: 256, warmPool: true })).not.toContain(HOST_BOOT_UNIT);
  });
});

describe('the boot steps of a warm-pool host, run with the commands they call replaced by stubs', () => {
  const IMAGE = 'itzg/minecraft-server:java21';

  /** Runs the boot program with IMDS answering `target` (or failing), and returns the commands it ran, in order. */
  function boot(target: string | undefined): string[] {
    const script = hostUserData({ clusterName: 'c', stopTimeoutSeconds: 120, reservedMemoryMiB: 256, warmPool: true, prePullImage: IMAGE });
    const program = script.slice(script.indexOf("<<'GM_BOOT'\n") + "<<'GM_BOOT'\n".length, script.indexOf('\nGM_BOOT\n'));
    const dir = mkdtempSync(join(tmpdir(), 'gm-boot-'));
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    const stub = (name: string, body = '') => {
      writeFileSync(join(dir, name), `#!/bin/bash\necho "${name} $*" >> ${calls}\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    // The token request answers a token; the state request answers the target (or fails, as without IMDS).
    stub('curl', target === undefined ? 'exit 7' : `case "$*" in *api/token*) echo token ;; *) echo '${target}' ;; esac`);
    for (const name of ['systemctl', 'docker', 'systemd-run']) stub(name);
    writeFileSync(join(dir, 'boot.sh'), program);
    execFileSync('bash', [join(dir, 'boot.sh')], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    return readFileSync(calls, 'utf8').trim().split('\n').filter((l) => !l.startsWith('curl'));
  }

  it('on the way into the pool: starts Docker and pulls in the foreground, so the image is on the volume before the pool stops the instance', () => {
    expect(boot('Warmed:Stopped')).toEqual(['systemctl start docker', `docker pull ${IMAGE}`]);
  });

  it('on the way into service: only queues the pull in the background, so the ECS agent is not held back', () => {
    expect(boot('InService')).toEqual([`systemd-run --no-block --unit=gm-image-pull --property=After=docker.service --property=Requires=docker.service docker pull ${IMAGE}`]);
  });

  it('without an answer from the metadata service: the background pull, never a boot that waits', () => {
    expect(boot(undefined)).toEqual([expect.stringMatching(/^systemd-run --no-block /)]);
  });
});

describe('the image cache', () => {
  const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc';
  const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

  function cached(image: string, credentialArn?: string) {
    const json = synth((scope) => {
      const result = gameImage(scope, { prefix: 'gm', region: 'eu-west-1', arnSource: CLUSTER_ARN, game: { id: 'mc', image, imageCache: { credentialArn } } });
      new InstanceRole(scope, 'role', { prefix: 'gm', gameId: 'mc', clusterArn: CLUSTER_ARN, logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:gm-mc', imageCacheRepositoryArns: result.cacheRepositoryArns });
    });
    return { json, rule: only(json, 'aws_ecr_pull_through_cache_rule') };
  }

  it('caches Docker Hub with the credential secret, under the game\'s own prefix', () => {
    const { rule } = cached('itzg/minecraft-server:java21', SECRET);
    expect(rule.body).toEqual({ ecr_repository_prefix: 'gm-mc', upstream_registry_url: 'registry-1.docker.io', credential_arn: SECRET });
  });

  it('caches public.ecr.aws without credentials', () => {
    expect(cached('public.ecr.aws/docker/library/nginx:1.27').rule.body).toEqual({ ecr_repository_prefix: 'gm-mc', upstream_registry_url: 'public.ecr.aws' });
  });

  it('rewrites the task\'s image to the account\'s ECR in the region, and pulls nothing at boot', () => {
    let image!: ReturnType<typeof gameImage>;
    const json = synth((scope) => {
      image = gameImage(scope, { prefix: 'gm', region: 'eu-west-1', arnSource: CLUSTER_ARN, game: { id: 'mc', image: 'itzg/minecraft-server:java21', imageCache: { credentialArn: SECRET } } });
      new GameService(scope, 'service', {
        prefix: 'gm', gameId: 'mc', region: 'eu-west-1', clusterArn: CLUSTER_ARN, image: image.image, ports: [{ port: 25565, protocol: 'tcp' }],
        memoryMiB: 3072, stopTimeoutSeconds: 120, logGroupName: 'gm-mc',
      });
    });
    const [container] = containerDefinitions(only(json, 'aws_ecs_task_definition').body);
    const rule = only(json, 'aws_ecr_pull_through_cache_rule');
    // Account from the cluster's ARN (no data source at plan time); the prefix from the rule, so the task waits for it.
    const account = Object.entries(json.locals ?? {}).find(([, value]) => value === `\${element(split(":", "${CLUSTER_ARN}"), 4)}`)![0];
    expect(container!.image).toBe(
      `\${local.${account}}.dkr.ecr.eu-west-1.amazonaws.com/\${aws_ecr_pull_through_cache_rule.${rule.name}.ecr_repository_prefix}/itzg/minecraft-server:java21`,
    );
    expect(image.prePullImage).toBeUndefined();
  });

  it('lets the host role create the game\'s cache repositories and import into them, nothing wider', () => {
    const { json } = cached('itzg/minecraft-server:java21', SECRET);
    const policy = only(json, 'aws_iam_role_policy', (b) => b.name === 'image-pull-through-cache');
    const [statement, ...others] = readPolicy(policy.body.policy).Statement;
    expect(others).toEqual([]);
    expect(actionsOf(statement!).sort()).toEqual(['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']);
    expect(statement!.Resource).toMatch(/^arn:\$\{local\.[\w-]+\}:ecr:eu-west-1:\$\{local\.[\w-]+\}:repository\/\$\{aws_ecr_pull_through_cache_rule\.[\w-]+\.ecr_repository_prefix\}\/\*$/);
  });

  it('a game without a cache keeps its image, pre-pulls it when it is public, and gets no cache grant', () => {
    let plain!: ReturnType<typeof gameImage>;
    let privateEcr!: ReturnType<typeof gameImage>;
    const json = synth((scope) => {
      plain = gameImage(scope, { prefix: 'gm', region: 'eu-west-1', arnSource: CLUSTER_ARN, game: { id: 'mc', image: 'itzg/minecraft-server' } });
      privateEcr = gameImage(scope, { prefix: 'gm', region: 'eu-west-1', arnSource: CLUSTER_ARN, game: { id: 'mc', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/game:1' } });
      new InstanceRole(scope, 'role', { prefix: 'gm', gameId: 'mc', clusterArn: CLUSTER_ARN, logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:gm-mc' });
    });
    expect(plain).toEqual({ image: 'itzg/minecraft-server', prePullImage: 'itzg/minecraft-server' });
    expect(privateEcr).toEqual({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/game:1', prePullImage: undefined });
    expect(resources(json, 'aws_ecr_pull_through_cache_rule')).toEqual([]);
    expect(resources(json, 'aws_iam_role_policy').map((p) => p.body.name)).not.toContain('image-pull-through-cache');
  });
});

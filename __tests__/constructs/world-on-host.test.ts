/**
 * The world on the game host, as synthesized: the host's user data mounts
 * the world's file system whole and runs the restore swap before the ECS
 * agent starts; the host role may mount it and read/clear the swap request;
 * the file system policy lets the host in (by ARN condition, the role being
 * in the other stack); the worlds stack has the role AWS Backup restores with.
 *
 * The host parts are synthesized from the constructs themselves (storage,
 * instance role and host in one stack, as the game stack wires them); the
 * worlds stack parts from the whole app.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { ECS_RESERVED_MEMORY_MIB } from '../../src/config/instance-types';
import { GameHost } from '../../src/constructs/game/host';
import { hostUserData } from '../../src/constructs/game/host-user-data';
import { InstanceRole } from '../../src/constructs/game/instance-role';
import { GameStorage } from '../../src/constructs/game/storage';
import { deploymentResourceNames } from '../../src/runtime/names';
import { ssmParameterClientScript } from '../../src/constructs/game/world-parameter-client';
import { worldSwapScript } from '../../src/constructs/game/world-swap-script';
import { actionsOf, readBase64Script, readPolicy } from './support/hcl';
import { configDocument, minecraft } from './support/fixtures';
import { only, ref, resources, synthDocument, type TerraformJson } from './support/synth';

const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/gm-mc';
const FS_ID = 'fs-0123456789abcdef0';

function hostStack(options: { world: boolean; conntrack?: boolean }): TerraformJson {
  const stack = new TerraformStack(Testing.app(), 'host');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const storage = new GameStorage(stack, 'world', { prefix: 'gm', gameId: 'mc', volumePaths: ['/data'], region: 'eu-west-1' });
  const role = new InstanceRole(stack, 'host-role', {
    prefix: 'gm',
    gameId: 'mc',
    clusterArn: CLUSTER_ARN,
    logGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/gm/mc/game',
    world: options.world ? { fileSystemArn: storage.fileSystemArn, region: 'eu-west-1' } : undefined,
  });
  new GameHost(stack, 'host', {
    prefix: 'gm',
    gameId: 'mc',
    instanceType: 't4g.medium',
    architecture: 'arm64',
    subnetId: 'subnet-0123',
    securityGroupId: 'sg-0123',
    instanceProfileArn: role.profile.arn,
    clusterName: 'gm-mc',
    stopTimeoutSeconds: 120,
    conntrack: options.conntrack,
    world: options.world ? { fileSystemId: storage.fileSystemId, region: 'eu-west-1' } : undefined,
  });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

function userData(json: TerraformJson): string {
  return readBase64Script(only(json, 'aws_launch_template').body.user_data);
}

/** The text a quoted heredoc of the user data writes to `path`. */
function installedProgram(script: string, path: string): string {
  const lines = script.split('\n');
  const start = lines.indexOf(`cat > ${path} <<'GM_PROGRAM'`);
  const end = lines.indexOf('GM_PROGRAM', start);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  expect(lines[end + 1]).toBe(`chmod 0755 ${path}`);
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

describe('the world on the host', () => {
  const json = hostStack({ world: true, conntrack: true });
  const fs = only(json, 'aws_efs_file_system');
  const script = userData(json);
  const lines = script.split('\n');

  it('mounts the whole file system at /mnt/gm-world with amazon-efs-utils, over TLS, with the host role', () => {
    expect(lines).toContain(`  if timeout 20 mount -t efs -o tls,iam ${ref('aws_efs_file_system', fs, 'id')}:/ /mnt/gm-world; then world_mounted=true; break; fi`);
    expect(lines).toContain('mkdir -p /mnt/gm-world');
    expect(lines).toContain('for attempt in $(seq 3); do');
  });

  it('installs the swap and its SSM client exactly as written (tested on their own)', () => {
    expect(installedProgram(script, '/usr/local/sbin/gm-world-swap')).toBe(worldSwapScript());
    expect(installedProgram(script, '/usr/local/sbin/gm-ssm-parameter')).toBe(ssmParameterClientScript());
  });

  it('runs the swap only on a mounted world, bounded in time, and never fails the boot for it', () => {
    const mounted = lines.indexOf('if [ "$world_mounted" = true ]; then');
    expect(mounted).toBeGreaterThan(lines.findIndex((l) => l.includes('mount -t efs')));
    expect(lines[mounted + 2]).toBe('  AWS_REGION=eu-west-1 PATH="/usr/local/sbin:$PATH" timeout 120 /usr/local/sbin/gm-world-swap /mnt/gm-world /gm/mc/world-swap \\');
    expect(lines[mounted + 3]).toBe('    || echo "gm: the world swap did not finish; it runs again at the next boot" >&2');
    expect(lines[mounted + 5]).toBe('else');
  });

  it('on a mounted world only, gives the root to ec2-user before the swap (uploads stage there) and the volumes folder after it', () => {
    const mounted = lines.indexOf('if [ "$world_mounted" = true ]; then');
    expect(lines[mounted + 1]).toBe('  chown 1000:1000 /mnt/gm-world || echo "gm: could not give /mnt/gm-world to uid 1000; uploads fail until the next boot" >&2');
    expect(lines[mounted + 4]).toBe('  if [ -d /mnt/gm-world/volumes ]; then chown 1000:1000 /mnt/gm-world/volumes || echo "gm: could not give /mnt/gm-world/volumes to uid 1000" >&2; fi');
    // Never recursive: the files below are the game's, with the owners it gave them.
    // (and the swap program hands the folder it sets aside, alone, to the same owner)
    expect(lines.filter((l) => l.includes('chown'))).toHaveLength(3);
    expect(script).not.toMatch(/chown -R/);
  });

  it('comes after the ECS agent settings and the background installs: the last thing before the agent starts', () => {
    const ecsConfig = lines.indexOf("cat >> /etc/ecs/ecs.config <<'EOF'");
    const conntrack = lines.findIndex((l) => l.includes('conntrack-tools'));
    const firstWorldLine = lines.findIndex((l) => l.includes('/usr/local/sbin/gm-ssm-parameter'));
    expect(ecsConfig).toBeGreaterThanOrEqual(0);
    expect(conntrack).toBeGreaterThan(ecsConfig);
    expect(firstWorldLine).toBeGreaterThan(conntrack);
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toBe('fi');
  });

  it('is a valid bash script that passes shellcheck (with the file system id filled in)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-user-data-'));
    try {
      const file = join(dir, 'user-data.sh');
      writeFileSync(file, script.replace(/\$\{aws_efs_file_system\.[^}]+\.id\}/g, FS_ID));
      expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
      if (spawnSync('shellcheck', ['--version']).status === 0) {
        const lint = spawnSync('shellcheck', ['--shell=bash', file], { encoding: 'utf8' });
        expect(lint.stdout).toBe('');
      } else {
        console.warn('shellcheck is not installed: the user data lint is skipped (apt-get install -y shellcheck)');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Terraform reads the user data back to exactly the script (quotes, backslashes and all), within the 16 KB EC2 allows', () => {
    const expression = String(only(json, 'aws_launch_template').body.user_data).replace(/\$\{aws_efs_file_system\.[^}]+\.id\}/g, FS_ID);
    const expected = hostUserData({
      clusterName: 'gm-mc', stopTimeoutSeconds: 120, reservedMemoryMiB: ECS_RESERVED_MEMORY_MIB, conntrack: true,
      world: { fileSystemId: FS_ID, region: 'eu-west-1', swapParameterName: '/gm/mc/world-swap' },
    });
    expect(Buffer.byteLength(expected)).toBeLessThan(16 * 1024);
    if (spawnSync('terraform', ['version']).status !== 0) {
      console.warn('terraform is not installed: the user data round trip through Terraform is skipped');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'gm-user-data-tf-'));
    try {
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ output: { user_data: { value: expression } } }));
      const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      const apply = spawnSync('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
      expect({ status: apply.status, error: apply.status === 0 ? '' : apply.stderr }).toEqual({ status: 0, error: '' });
      const output = spawnSync('terraform', ['output', '-raw', 'user_data'], { cwd: dir, env, encoding: 'utf8' });
      expect(Buffer.from(output.stdout, 'base64').toString('utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the host role the mount, with the same condition as the task role, and exactly the swap parameter', () => {
    const role = only(json, 'aws_iam_role', (b) => b.name === 'gm-mc-host');
    const policy = only(json, 'aws_iam_role_policy', (b) => b.role === ref('aws_iam_role', role, 'id') && b.name === 'world-mount-and-swap');
    const statements = readPolicy(policy.body.policy).Statement;
    expect(statements).toHaveLength(2);
    const [mount, swap] = statements;
    expect(actionsOf(mount!).sort()).toEqual(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite']);
    expect(mount!.Resource).toBe(ref('aws_efs_file_system', fs, 'arn'));
    expect(mount!.Condition).toEqual({ Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } });
    expect(actionsOf(swap!).sort()).toEqual(['ssm:DeleteParameter', 'ssm:GetParameter']);
    const part = (i: number) => `\${element(split(":", "${CLUSTER_ARN}"), ${i})}`;
    expect(swap!.Resource).toBe(`arn:${part(1)}:ssm:eu-west-1:${part(4)}:parameter/gm/mc/world-swap`);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('a host without a world (the default) mounts nothing and gets no world permission', () => {
    const bare = hostStack({ world: false });
    expect(userData(bare)).not.toContain('mount -t efs');
    expect(userData(bare)).not.toContain('gm-world-swap');
    expect(resources(bare, 'aws_iam_role_policy').map((p) => p.body.name)).not.toContain('world-mount-and-swap');
  });
});

describe('the worlds stack', () => {
  const synth = synthDocument(configDocument({ mc: minecraft() }));

  it('lets the game host mount the world by the host role ARN, keeping the TLS deny', () => {
    const policy = only(synth.worlds.json, 'aws_efs_file_system_policy');
    const statements = readPolicy(policy.body.policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['DenyWithoutTls', 'OnlyTheGameTaskMounts', 'AndTheGameHost']);
    const host = statements[2]!;
    expect(host.Effect).toBe('Allow');
    expect(host.Condition?.ArnEquals).toEqual({ 'aws:PrincipalArn': expect.stringMatching(/:iam::\$\{element\(split\(":", aws_iam_role\.[^)]+\.arn\), 4\)\}:role\/gm-mc-host$/) });
    expect(statements[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('has the role AWS Backup restores with: trusted by AWS Backup only, with the managed restore policy', () => {
    const role = only(synth.worlds.json, 'aws_iam_role', (b) => b.name === deploymentResourceNames('gm').worldRestoreRole);
    expect(role.body.name).toBe('gm-world-restore');
    expect(readPolicy(role.body.assume_role_policy).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    const attachments = resources(synth.worlds.json, 'aws_iam_role_policy_attachment').filter((a) => a.body.role === ref('aws_iam_role', role, 'name'));
    expect(attachments.map((a) => a.body.policy_arn)).toEqual([
      `arn:\${element(split(":", aws_iam_role.${role.name}.arn), 1)}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores`,
    ]);
  });

  it('names the restore role after the deployment, one per deployment', () => {
    const other = synthDocument(configDocument({ mc: minecraft(), mc2: { ...minecraft(), ports: [{ port: 25566, protocol: 'tcp' }] } }, { name: 'friends' }));
    expect(resources(other.worlds.json, 'aws_iam_role').map((r) => r.body.name).filter((n) => String(n).endsWith('-restore'))).toEqual(['friends-world-restore']);
  });
});

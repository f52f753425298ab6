import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { Testing } from 'cdktf';
import { actionsOf, readPolicy } from '../constructs/support/hcl';
import { configDocument, minecraft, valheim } from '../constructs/support/fixtures';
import { containerDefinitions, only, ref, resources, synthDocument, type SynthesizedApp } from '../constructs/support/synth';

Testing.setupJest();

const EXISTING_FS = 'fs-0123456789abcdef0';

describe('worlds stack, defaults', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: { ...minecraft(), volumes: [{ path: '/data' }, { path: '/mods/' }] } }));
  });

  it('creates one encrypted One Zone file system in the subnet zone (<region>a), never destroyed', () => {
    expect(resources(synth.worlds.json, 'aws_efs_file_system')).toHaveLength(1);
    expect(synth.worlds.text).toHaveResourceWithProperties(EfsFileSystem, {
      encrypted: true,
      availability_zone_name: 'eu-west-1a',
      lifecycle: expect.objectContaining({ prevent_destroy: true }),
    });
  });

  it('backs the world up daily into a vault of its own, kept 35 days, and keeps EFS automatic backups off', () => {
    const fs = only(synth.worlds.json, 'aws_efs_file_system');
    const vault = only(synth.worlds.json, 'aws_backup_vault');
    const plan = only(synth.worlds.json, 'aws_backup_plan');
    const role = only(synth.worlds.json, 'aws_iam_role', (b) => b.name === 'gm-world-backup');
    expect(vault.body).toMatchObject({ name: 'gm-worlds' });
    // No access policy on it: the vault EFS's automatic backups use denies every restore.
    expect(resources(synth.worlds.json, 'aws_backup_vault_policy')).toEqual([]);
    expect(plan.body.rule).toEqual([expect.objectContaining({
      rule_name: 'daily', schedule: 'cron(0 5 * * ? *)', target_vault_name: ref('aws_backup_vault', vault, 'name'), lifecycle: { delete_after: 35 },
    })]);
    expect(only(synth.worlds.json, 'aws_backup_selection').body).toEqual(expect.objectContaining({
      name: 'gm-mc-world', plan_id: ref('aws_backup_plan', plan, 'id'), iam_role_arn: ref('aws_iam_role', role, 'arn'), resources: [ref('aws_efs_file_system', fs, 'arn')],
    }));
    expect(readPolicy(role.body.assume_role_policy).Statement.map((st) => st.Principal)).toEqual([{ Service: 'backup.amazonaws.com' }]);
    expect(only(synth.worlds.json, 'aws_iam_role_policy_attachment', (b) => String(b.policy_arn).endsWith('/AWSBackupServiceRolePolicyForBackup')).body.role)
      .toBe(ref('aws_iam_role', role, 'name'));
    expect(synth.worlds.text).toHaveResourceWithProperties(EfsBackupPolicy, {
      file_system_id: ref('aws_efs_file_system', fs, 'id'),
      backup_policy: { status: 'DISABLED' },
    });
  });

  it('denies access without TLS and lets only the game task role and the game host mount the world', () => {
    const fs = only(synth.worlds.json, 'aws_efs_file_system');
    const taskRole = only(synth.worlds.json, 'aws_iam_role', (b) => b.name === 'gm-mc-task');
    const policy = only(synth.worlds.json, 'aws_efs_file_system_policy');
    expect(policy.body.file_system_id).toBe(ref('aws_efs_file_system', fs, 'id'));
    const statements = readPolicy(policy.body.policy).Statement;
    const fsArn = ref('aws_efs_file_system', fs, 'arn');

    const denies = statements.filter((s) => s.Effect === 'Deny');
    expect(denies).toHaveLength(1);
    expect(denies[0]).toMatchObject({ Principal: { AWS: '*' }, Resource: fsArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(actionsOf(denies[0]!)).toEqual(['*']);

    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(2);
    // Root access is granted so images that start as root can chown their data folder (and the
    // host can move a restored world in place); the access point confines every task to its directory.
    for (const allow of allows) {
      expect(allow.Resource).toBe(fsArn);
      expect(actionsOf(allow).sort()).toEqual(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite']);
      expect(allow.Condition).toMatchObject({ Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } });
    }
    const [task, host] = allows;
    expect(task!.Principal).toEqual({ AWS: ref('aws_iam_role', taskRole, 'arn') });
    expect(task!.Condition).toEqual({ Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } });
    // The host role lives in the game stack: named by ARN in a condition, on the account principal.
    const part = (i: number) => `\${element(split(":", ${ref('aws_iam_role', taskRole, 'arn').slice(2, -1)}), ${i})}`;
    expect(host!.Principal).toEqual({ AWS: `arn:${part(1)}:iam::${part(4)}:root` });
    expect(host!.Condition).toEqual({
      Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
      ArnEquals: { 'aws:PrincipalArn': `arn:${part(1)}:iam::${part(4)}:role/gm-mc-host` },
    });
    // …the very name the game stack gives the host role.
    expect(resources(synth.main.json, 'aws_iam_role').map((r) => r.body.name)).toContain('gm-mc-host');
  });

  it('gives the task role a trust for ECS tasks and a mount permission on this file system only', () => {
    const fs = only(synth.worlds.json, 'aws_efs_file_system');
    const taskRole = only(synth.worlds.json, 'aws_iam_role', (b) => b.name === 'gm-mc-task');
    const trust = readPolicy(taskRole.body.assume_role_policy).Statement;
    expect(trust).toEqual([expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
    const inline = resources(synth.worlds.json, 'aws_iam_role_policy').filter((p) => p.body.role === ref('aws_iam_role', taskRole, 'id'));
    expect(inline).toHaveLength(1);
    for (const statement of readPolicy(inline[0]!.body.policy).Statement) {
      expect(statement.Resource).toBe(ref('aws_efs_file_system', fs, 'arn'));
    }
    expect(resources(synth.worlds.json, 'aws_iam_role_policy_attachment').filter((a) => a.body.role === ref('aws_iam_role', taskRole, 'name'))).toEqual([]);
  });

  it('makes one access point per volume, rooted at a path derived from the container path', () => {
    const fs = only(synth.worlds.json, 'aws_efs_file_system');
    const points = resources(synth.worlds.json, 'aws_efs_access_point');
    expect(points).toHaveLength(2);
    for (const p of points) expect(p.body.file_system_id).toBe(ref('aws_efs_file_system', fs, 'id'));
    const roots = points.map((p) => (p.body.root_directory as { path: string }).path).sort();
    expect(roots).toEqual(['/volumes/data', '/volumes/mods']);
  });

  it('keeps each root path when the volumes are listed in another order (an adopted world finds its data)', () => {
    const reordered = synthDocument(configDocument({ mc: { ...minecraft(), volumes: [{ path: '/mods/' }, { path: '/data' }] } }));
    const rootByTag = (json: typeof synth.worlds.json) => Object.fromEntries(resources(json, 'aws_efs_access_point')
      .map((p) => [String((p.body.tags as Record<string, string>).Name), (p.body.root_directory as { path: string }).path]));
    const before = rootByTag(synth.worlds.json);
    const after = rootByTag(reordered.worlds.json);
    expect(Object.keys(before)).toHaveLength(2);
    expect(after).toEqual(before);
  });

  it('mounts each volume in the game task through its access point, over TLS with IAM', () => {
    const task = only(synth.main.json, 'aws_ecs_task_definition');
    const volumes = task.body.volume as { name: string; efs_volume_configuration: Record<string, unknown> }[];
    expect(volumes).toHaveLength(2);
    const mounts = containerDefinitions(task.body)[0]!.mountPoints as { sourceVolume: string; containerPath: string }[];
    expect(mounts.map((m) => m.containerPath).sort()).toEqual(['/data', '/mods/']);
    for (const mount of mounts) {
      const volume = volumes.find((v) => v.name === mount.sourceVolume);
      expect(volume?.efs_volume_configuration).toMatchObject({
        transit_encryption: 'ENABLED',
        authorization_config: { iam: 'ENABLED', access_point_id: expect.stringContaining('aws_efs_access_point') },
      });
    }
  });
});

describe('worlds stack, options', () => {
  it('places the One Zone file system in network.availabilityZone when set', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }, { network: { availabilityZone: 'eu-west-1c' } }));
    expect(only(synth.worlds.json, 'aws_efs_file_system').body.availability_zone_name).toBe('eu-west-1c');
    expect(only(synth.main.json, 'aws_subnet').body.availability_zone).toBe('eu-west-1c');
  });

  it('creates a Regional file system with oneZone: false, and honours backups: false and keepOnDestroy: false', () => {
    const synth = synthDocument(configDocument({ mc: { ...minecraft(), oneZone: false, backups: false, keepOnDestroy: false } }));
    const fs = only(synth.worlds.json, 'aws_efs_file_system');
    expect(fs.body).not.toHaveProperty('availability_zone_name');
    expect(fs.body.encrypted).toBe(true);
    expect((fs.body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy ?? false).toBe(false);
    expect(only(synth.worlds.json, 'aws_efs_backup_policy').body.backup_policy).toEqual({ status: 'DISABLED' });
    // No game backed up: no selection; the vault and plan stay (free), since AWS refuses to delete a vault holding copies.
    expect(resources(synth.worlds.json, 'aws_backup_selection')).toEqual([]);
    for (const type of ['aws_backup_vault', 'aws_backup_plan']) expect({ type, n: resources(synth.worlds.json, type).length }).toEqual({ type, n: 1 });
  });

  it('keeps each game on its own settings when games differ', () => {
    const synth = synthDocument(configDocument({ mc: minecraft(), vh: { ...valheim(), keepOnDestroy: false, oneZone: false } }));
    const mc = only(synth.worlds.json, 'aws_efs_file_system', (b) => b.creation_token === 'gm-mc-world');
    const vh = only(synth.worlds.json, 'aws_efs_file_system', (b) => b.creation_token === 'gm-vh-world');
    expect(mc.body).toMatchObject({ availability_zone_name: 'eu-west-1a', lifecycle: { prevent_destroy: true } });
    expect(vh.body).not.toHaveProperty('availability_zone_name');
    expect((vh.body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy ?? false).toBe(false);
  });
});

describe('worlds stack, adopting an existing file system', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: { ...minecraft(), existingFileSystemId: EXISTING_FS } }));
  });

  it('creates no file system', () => {
    expect(resources(synth.worlds.json, 'aws_efs_file_system')).toEqual([]);
  });

  it('points the backup policy, file-system policy and access points at the given id', () => {
    expect(only(synth.worlds.json, 'aws_efs_backup_policy').body.file_system_id).toBe(EXISTING_FS);
    const policy = only(synth.worlds.json, 'aws_efs_file_system_policy');
    expect(policy.body.file_system_id).toBe(EXISTING_FS);
    for (const statement of readPolicy(policy.body.policy).Statement) {
      expect(statement.Resource).toEqual(expect.stringMatching(new RegExp(`^arn:.*:elasticfilesystem:eu-west-1:.*:file-system/${EXISTING_FS}$`)));
    }
    const points = resources(synth.worlds.json, 'aws_efs_access_point');
    expect(points).toHaveLength(1);
    expect(points[0]!.body).toMatchObject({ file_system_id: EXISTING_FS, root_directory: expect.objectContaining({ path: '/volumes/data' }) });
  });

  it('mounts the given id in the game stack (mount target and task volume)', () => {
    expect(only(synth.main.json, 'aws_efs_mount_target').body.file_system_id).toBe(EXISTING_FS);
    const task = only(synth.main.json, 'aws_ecs_task_definition');
    const volumes = task.body.volume as { efs_volume_configuration: { file_system_id: string } }[];
    expect(volumes.map((v) => v.efs_volume_configuration.file_system_id)).toEqual([EXISTING_FS]);
  });
});

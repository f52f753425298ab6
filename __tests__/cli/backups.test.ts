/**
 * `gm backups` in process: EFS and AWS Backup answered by
 * aws-sdk-client-mock with responses shaped as AWS documents them
 * (DescribeFileSystems, ListRecoveryPointsByResource), output read line by
 * line. Local times print in Europe/Paris (+01:00 in November).
 */
import { BackupClient, ListRecoveryPointsByResourceCommand, type RecoveryPointByResource } from '@aws-sdk/client-backup';
import { DescribeFileSystemsCommand, EFSClient, type FileSystemDescription } from '@aws-sdk/client-efs';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupsCommandWith } from '../../src/cli/commands/backups';
import { main } from '../../src/cli/main';
import { humanSize, localIsoTime } from '../../src/cli/restore/format';
import { awsError, throttling } from '../support/aws-errors';
import { deploymentYaml } from '../support/deployment-yaml';
import { captureIo } from '../support/cli-io';

const ACCOUNT = '123456789012';
const FS_ID = 'fs-0123456789abcdef0';
const FS_ARN = `arn:aws:elasticfilesystem:eu-west-1:${ACCOUNT}:file-system/${FS_ID}`;
const ADOPTED_FS = 'fs-0aaaabbbbccccdddd';
const CONFIG_YAML = deploymentYaml(`
  mc:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25565
    volumes:
      - path: /data
  old:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25566
    volumes:
      - path: /data
    existingFileSystemId: ${ADOPTED_FS}
  nobk:
    image: itzg/minecraft-server:java21
    instanceType: t4g.medium
    ports:
      - port: 25567
    backups: false
`);

const efs = mockClient(EFSClient);
const backup = mockClient(BackupClient);
let configDir: string;
const savedConfig = process.env.GM_CONFIG;

beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'gm-backups-'));
  writeFileSync(join(configDir, 'gm.yaml'), CONFIG_YAML);
  process.env.GM_CONFIG = join(configDir, 'gm.yaml');
});
afterAll(() => {
  efs.restore();
  backup.restore();
  rmSync(configDir, { recursive: true, force: true });
  if (savedConfig === undefined) delete process.env.GM_CONFIG;
  else process.env.GM_CONFIG = savedConfig;
});
beforeEach(() => {
  efs.reset();
  backup.reset();
});

/** A file system as DescribeFileSystems lists it. */
function fileSystem(id: string, token: string): FileSystemDescription {
  return {
    OwnerId: ACCOUNT,
    CreationToken: token,
    FileSystemId: id,
    FileSystemArn: `arn:aws:elasticfilesystem:eu-west-1:${ACCOUNT}:file-system/${id}`,
    CreationTime: new Date('2026-01-01T00:00:00Z'),
    LifeCycleState: 'available',
    NumberOfMountTargets: 1,
    SizeInBytes: { Value: 1_234_567 },
    PerformanceMode: 'generalPurpose',
    Encrypted: true,
    ThroughputMode: 'elastic',
    Tags: [{ Key: 'Name', Value: token }],
  };
}

/** A recovery point as ListRecoveryPointsByResource lists it: the deployment's vault, or (older) EFS's automatic one. */
function point(uuid: string, created: string, sizeBytes: number, status: RecoveryPointByResource['Status'] = 'COMPLETED', vault = 'gm-worlds'): RecoveryPointByResource {
  return {
    RecoveryPointArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:${uuid}`,
    CreationDate: new Date(created),
    Status: status,
    EncryptionKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    BackupSizeBytes: sizeBytes,
    BackupVaultName: vault,
    IsParent: false,
  };
}

async function run(args: string[], captured = captureIo()): Promise<{ status: number; out: string[]; err: string[] }> {
  const status = await main(['backups', ...args], captured.io, [backupsCommandWith('Europe/Paris')]);
  return { status, out: captured.out, err: captured.err };
}

describe('gm backups', () => {
  it('lists every recovery point of the world (all pages), newest first, as a table', async () => {
    efs.on(DescribeFileSystemsCommand, { CreationToken: 'gm-mc-world' }).resolves({ FileSystems: [fileSystem(FS_ID, 'gm-mc-world')] });
    backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: FS_ARN, NextToken: undefined }).resolves({
      RecoveryPoints: [point('11111111-aaaa-4bbb-8ccc-000000000001', '2026-11-28T02:05:00Z', 812, 'COMPLETED', 'aws/efs/automatic-backup-vault'), point('33333333-aaaa-4bbb-8ccc-000000000003', '2026-11-30T02:07:00Z', 3_565_158)],
      NextToken: 'page-2',
    });
    backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: FS_ARN, NextToken: 'page-2' }).resolves({
      RecoveryPoints: [point('22222222-aaaa-4bbb-8ccc-000000000002', '2026-11-29T02:06:00Z', 1_288_490_189, 'PARTIAL')],
    });

    const result = await run(['mc']);

    expect(result.status).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.out).toEqual([
      'DATE                    SIZE     STATUS     ID                                    VAULT',
      '2026-11-30T03:07+01:00  3.4 MiB  COMPLETED  33333333-aaaa-4bbb-8ccc-000000000003  gm-worlds',
      '2026-11-29T03:06+01:00  1.2 GiB  PARTIAL    22222222-aaaa-4bbb-8ccc-000000000002  gm-worlds',
      '2026-11-28T03:05+01:00  812 B    COMPLETED  11111111-aaaa-4bbb-8ccc-000000000001  aws/efs/automatic-backup-vault',
    ]);
    expect(backup.commandCalls(ListRecoveryPointsByResourceCommand)).toHaveLength(2);
  });

  it('says why there is nothing: the first daily backup has not run yet, or backups are off', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [fileSystem(FS_ID, 'gm-mc-world')] });
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
    const on = await run(['mc']);
    expect(on).toEqual({ status: 0, out: ["mc's world has no backups yet: the first daily backup runs within a day of the deploy"], err: [] });
    const off = await run(['nobk']);
    expect(off.out).toEqual([`nobk's world has no backups: backups are turned off (backups: false in ${process.env.GM_CONFIG})`]);
  });

  it('a world that is not deployed: one line naming the stack to deploy, exit 1', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [] });
    const result = await run(['mc']);
    expect(result).toEqual({ status: 1, out: [], err: ["mc's world was not found: deploy gamemanagement-worlds first"] });
    expect(backup.calls()).toHaveLength(0);
  });

  it('an adopted file system is looked up by its id; one AWS does not know is said in one line', async () => {
    efs.on(DescribeFileSystemsCommand, { FileSystemId: ADOPTED_FS }).rejects(awsError('FileSystemNotFound', 'File system fs-0aaaabbbbccccdddd does not exist.', 404));
    const result = await run(['old']);
    expect(result.status).toBe(1);
    expect(result.err).toEqual([`old's world ${ADOPTED_FS} (existingFileSystemId in ${process.env.GM_CONFIG}) was not found in eu-west-1: check the id and the region`]);
    expect(efs.commandCalls(DescribeFileSystemsCommand)[0]!.args[0].input).toEqual({ FileSystemId: ADOPTED_FS });
  });

  it('throttled past the retries: one line, exit 1', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [fileSystem(FS_ID, 'gm-mc-world')] });
    backup.on(ListRecoveryPointsByResourceCommand).rejects(throttling());
    const result = await run(['mc']);
    expect(result).toEqual({ status: 1, out: [], err: ['gm backups: AWS kept answering ThrottlingException after 5 attempts: try again in a minute'] });
  });

  it('access denied: one line naming the action', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [fileSystem(FS_ID, 'gm-mc-world')] });
    backup.on(ListRecoveryPointsByResourceCommand).rejects(awsError('AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/ana is not authorized to perform: backup:ListRecoveryPointsByResource on resource: ${FS_ARN}`));
    const result = await run(['mc']);
    expect(result.status).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^gm backups: AWS denied backup:ListRecoveryPointsByResource on arn:aws:elasticfilesystem:/);
  });

  it('no credentials: one line, exit 1', async () => {
    efs.on(DescribeFileSystemsCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const result = await run(['mc']);
    expect(result.status).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^gm backups: no AWS credentials found/);
  });

  it('a game the config does not have: usage error listing the games, exit 2', async () => {
    const result = await run(['minecraft']);
    expect(result.status).toBe(2);
    expect(result.err[0]).toBe(`gm backups: no game "minecraft" in ${process.env.GM_CONFIG}; games in ${process.env.GM_CONFIG}: mc, old, nobk`);
  });
});

describe('formats', () => {
  it('sizes in binary units with at most three significant digits', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024 + 512, 200 * 1024 * 1024, 5 * 1024 ** 4].map(humanSize)).toEqual(['0 B', '1023 B', '1 KiB', '1.5 KiB', '10.5 KiB', '200 MiB', '5 TiB']);
  });

  it('local ISO times carry the zone offset (summer and winter in Paris)', () => {
    expect(localIsoTime(new Date('2026-07-01T10:00:00Z'), 'Europe/Paris')).toBe('2026-07-01T12:00+02:00');
    expect(localIsoTime(new Date('2026-12-31T23:30:00Z'), 'Europe/Paris')).toBe('2027-01-01T00:30+01:00');
    expect(localIsoTime(new Date('2026-12-31T23:30:00Z'), 'Asia/Kolkata')).toBe('2027-01-01T05:00+05:30');
    expect(localIsoTime(new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe('2026-12-31T23:30Z');
  });
});

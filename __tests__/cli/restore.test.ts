/**
 * `gm restore` in process: EFS, AWS Backup, STS, SSM and Auto Scaling
 * answered by aws-sdk-client-mock with responses shaped as AWS documents
 * them; questions answered through captureIo({answers}); time from a test
 * clock (nothing sleeps); Ctrl-C pressed through the captured io. The stop
 * itself (`stopAndWait`, tested with `gm stop`) is replaced here by a mock
 * that says whether the game stopped. Dates print in UTC.
 */
import { DescribeAutoScalingGroupsCommand, AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import {
  BackupClient,
  DescribeRestoreJobCommand,
  ListRecoveryPointsByResourceCommand,
  StartRestoreJobCommand,
  type DescribeRestoreJobCommandOutput,
  type RecoveryPointByResource,
} from '@aws-sdk/client-backup';
import { DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { restoreCommandWith } from '../../src/cli/commands/restore';
import { stopAndWait } from '../../src/cli/commands/stop';
import { main } from '../../src/cli/main';
import { awsError, throttling } from '../support/aws-errors';
import { captureIo, type CapturedIo } from '../support/cli-io';
import { groupDescription } from '../support/aws-mocks';
import { testClock, type TestClock } from '../support/clock';
import { REPO_ROOT } from './run-cli';

jest.mock('../../src/cli/commands/stop', () => ({ stopAndWait: jest.fn() }));
const stopGame = stopAndWait as jest.MockedFunction<typeof stopAndWait>;

const NOW = '2026-11-30T10:20:00.000Z';
const ACCOUNT = '123456789012';
const FS_ID = 'fs-0123456789abcdef0';
const FS_ARN = `arn:aws:elasticfilesystem:eu-west-1:${ACCOUNT}:file-system/${FS_ID}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/gm-world-restore`;
const SWAP = '/gm/mc/world-swap';
const JOB = '7F5D0A9C-3C2B-4E8A-9D1F-0B6E5A4C3D21';
/** examples/minecraft-java.yaml: prefix gm, region eu-west-1, one game mc (mc.example.com) with /data. */
const MC_CONFIG = join(REPO_ROOT, 'examples/minecraft-java.yaml');
const START_CMD = '`npm run --silent gm -- start mc`';
const UNDO_CMD = '`npm run --silent gm -- restore mc --undo`';

const efs = mockClient(EFSClient);
const backup = mockClient(BackupClient);
const sts = mockClient(STSClient);
const ssm = mockClient(SSMClient);
const autoScaling = mockClient(AutoScalingClient);
const savedConfig = process.env.GM_CONFIG;
let clock: TestClock;

beforeAll(() => {
  process.env.GM_CONFIG = MC_CONFIG;
});
afterAll(() => {
  for (const mock of [efs, backup, sts, ssm, autoScaling]) mock.restore();
  if (savedConfig === undefined) delete process.env.GM_CONFIG;
  else process.env.GM_CONFIG = savedConfig;
});

function point(uuid: string, created: string, status: RecoveryPointByResource['Status'] = 'COMPLETED', vault = 'gm-worlds'): RecoveryPointByResource {
  return {
    RecoveryPointArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:recovery-point:${uuid}`,
    CreationDate: new Date(created),
    Status: status,
    BackupSizeBytes: 3_565_158,
    BackupVaultName: vault,
    IsParent: false,
  };
}
/** A copy EFS's own automatic backups made (before the deployment's plan): its vault denies every restore. */
const AUTOMATIC = point('55555555-aaaa-4bbb-8ccc-000000000005', '2026-11-30T05:30:00Z', 'COMPLETED', 'aws/efs/automatic-backup-vault');
const NEWEST = point('33333333-aaaa-4bbb-8ccc-000000000003', '2026-11-30T02:07:00Z');
const NEWEST_PARTIAL = point('44444444-aaaa-4bbb-8ccc-000000000004', '2026-11-30T09:00:00Z', 'PARTIAL');
const OLDER = point('11111111-aaaa-4bbb-8ccc-000000000001', '2026-11-28T02:05:00Z');

/** DescribeRestoreJob's answer at one moment of the job. */
function job(status: DescribeRestoreJobCommandOutput['Status'], extra: Partial<DescribeRestoreJobCommandOutput> = {}): DescribeRestoreJobCommandOutput {
  return {
    $metadata: {},
    AccountId: ACCOUNT,
    RestoreJobId: JOB,
    RecoveryPointArn: NEWEST.RecoveryPointArn,
    CreationDate: new Date('2026-11-30T10:20:00Z'),
    Status: status,
    IamRoleArn: ROLE_ARN,
    ResourceType: 'EFS',
    ...(status === 'COMPLETED' ? { CompletionDate: new Date('2026-11-30T10:20:30Z'), CreatedResourceArn: FS_ARN, PercentDone: '100.00%' } : {}),
    ...extra,
  };
}

/** The game stopped (or running), the world deployed, three backups, a restore job that finishes after two reads. */
function deployed(options: { running?: boolean } = {}): void {
  efs.on(DescribeFileSystemsCommand, { CreationToken: 'gm-mc-world' }).resolves({
    FileSystems: [{
      OwnerId: ACCOUNT, CreationToken: 'gm-mc-world', FileSystemId: FS_ID, FileSystemArn: FS_ARN, CreationTime: new Date('2026-01-01T00:00:00Z'),
      LifeCycleState: 'available', NumberOfMountTargets: 1, SizeInBytes: { Value: 3_565_158 }, PerformanceMode: 'generalPurpose', Encrypted: true, Tags: [],
    }],
  });
  backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [OLDER, NEWEST_PARTIAL, NEWEST] });
  backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: JOB });
  backup.on(DescribeRestoreJobCommand)
    .resolvesOnce(job('PENDING'))
    .resolvesOnce(job('RUNNING', { PercentDone: '45.00%' }))
    .resolves(job('COMPLETED'));
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ana`, UserId: 'AIDAEXAMPLE' });
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound', 'Parameter not found'));
  ssm.on(PutParameterCommand).resolves({ Version: 1 });
  ssm.on(DeleteParameterCommand).resolves({});
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(
    options.running ? groupDescription('gm-mc', 1, [{ id: 'i-0abc', state: 'InService' }]) : groupDescription('gm-mc', 0, []),
  );
  autoScaling.on(SetDesiredCapacityCommand).resolves({});
}

beforeEach(() => {
  for (const mock of [efs, backup, sts, ssm, autoScaling]) mock.reset();
  stopGame.mockReset();
  clock = testClock(NOW);
});

async function run(args: string[], captured: CapturedIo = captureIo({ interactive: false })): Promise<{ status: number; out: string[]; err: string[]; asked: string[] }> {
  const status = await main(['restore', ...args], captured.io, [restoreCommandWith({ clock, timeZone: 'UTC' })]);
  return { status, out: captured.out, err: captured.err, asked: captured.asked };
}

/** What the command wrote to the world-swap parameter (each PutParameter of it). */
function swapWrites(): { Value?: string; Type?: string; Overwrite?: boolean }[] {
  return ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input).filter((i) => i.Name === SWAP);
}

const AFTER_RESTORE = [
  "at mc's next start, before the game starts:",
  `  the restored world (job ${JOB}) goes in place at /mnt/gm-world/volumes`,
  '  the current world is kept in /mnt/gm-world/before-restore-2026-11-30T10-20-30Z/volumes',
  `to undo: ${UNDO_CMD} (before that start it cancels this; after it, it puts the kept world back at the following start)`,
];

describe('gm restore <game> <backup>', () => {
  it('restores the latest completed backup into the world, with progress, then asks the host to swap at the next start', async () => {
    deployed();
    const captured = captureIo({ answers: ['y', 'n'] });

    const result = await run(['mc', 'latest'], captured);

    expect(result.status).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.asked).toEqual([
      "restore mc's world from the backup of 2026-11-30T02:07Z (33333333-aaaa-4bbb-8ccc-000000000003)? the current world is kept aside [y/N] ",
      'start mc now? [y/N] ',
    ]);
    expect(result.out).toEqual([
      `restoring the backup of 2026-11-30T02:07Z (33333333-aaaa-4bbb-8ccc-000000000003) into a new folder of ${FS_ID}: job ${JOB}`,
      `AWS Backup restored the backup in 30 s (job ${JOB})`,
      ...AFTER_RESTORE,
      `start it with ${START_CMD}, or connect to mc.example.com`,
    ]);
    // The newest point is PARTIAL: latest is the newest COMPLETED one.
    expect(backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input)).toEqual([{
      RecoveryPointArn: NEWEST.RecoveryPointArn,
      IamRoleArn: ROLE_ARN,
      ResourceType: 'EFS',
      Metadata: {
        'file-system-id': FS_ID,
        newFileSystem: 'false',
        Encrypted: 'true',
        PerformanceMode: 'generalPurpose',
        CreationToken: `gm-mc-world-restore-${Date.parse(NOW)}`,
        ItemsToRestore: '["/volumes"]',
      },
    }]);
    expect(captured.progress.filter((p) => p !== undefined).map((p) => p!.replace(/^\S+ /, ''))).toEqual([
      `restoring mc's world (job ${JOB}): PENDING (0 s)`,
      `restoring mc's world (job ${JOB}): RUNNING, 45.00% (15 s)`,
    ]);
    expect(swapWrites()).toEqual([{
      Name: SWAP,
      Type: 'String',
      Overwrite: true,
      Value: `keep=before-restore-2026-11-30T10-20-30Z\nrestored-between=20261130101800 20261130102230\njob=${JOB}`,
    }]);
    expect(stopGame).not.toHaveBeenCalled();
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });

  it('takes a backup by id or by ARN; --yes runs without a person', async () => {
    deployed();
    const byId = await run(['mc', OLDER.RecoveryPointArn!.split(':').pop()!, '--yes']);
    expect(byId.status).toBe(0);
    expect(byId.asked).toEqual([]);
    expect(byId.out.at(-1)).toBe(`start it with ${START_CMD}, or connect to mc.example.com`);
    expect(backup.commandCalls(StartRestoreJobCommand)[0]!.args[0].input.RecoveryPointArn).toBe(OLDER.RecoveryPointArn);

    deployed();
    expect((await run(['mc', NEWEST.RecoveryPointArn!, '--yes'])).status).toBe(0);
    expect(backup.commandCalls(StartRestoreJobCommand).at(-1)!.args[0].input.RecoveryPointArn).toBe(NEWEST.RecoveryPointArn);
  });

  it('starts the game when asked to: an operator start, the swap happening before the game starts', async () => {
    deployed();
    const result = await run(['mc', 'latest'], captureIo({ answers: ['yes', 'y'] }));
    expect(result.status).toBe(0);
    expect(result.out.at(-1)).toBe('starting mc: the restored world is put in place before the game starts');
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input)).toEqual([expect.objectContaining({ AutoScalingGroupName: 'gm-mc', DesiredCapacity: 1 })]);
    const session = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input).find((i) => i.Name === '/gm/mc/session');
    expect(JSON.parse(session!.Value!)).toMatchObject({ source: 'operator' });
  });

  it('a running game: asks to stop it, stops it, then restores', async () => {
    deployed({ running: true });
    stopGame.mockImplementation(async () => {
      autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupDescription('gm-mc', 0, []));
      return true;
    });
    const result = await run(['mc', 'latest'], captureIo({ answers: ['y', 'y', 'n'] }));
    expect(result.status).toBe(0);
    expect(result.asked).toEqual([
      "restore mc's world from the backup of 2026-11-30T02:07Z (33333333-aaaa-4bbb-8ccc-000000000003)? the current world is kept aside [y/N] ",
      'mc is running; stop it now? [y/N] ',
      'start mc now? [y/N] ',
    ]);
    expect(stopGame).toHaveBeenCalledTimes(1);
    expect(stopGame.mock.calls[0]![0].game.id).toBe('mc');
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(1);
  });

  it('a running game the user does not stop: nothing restored, exit 1', async () => {
    deployed({ running: true });
    const result = await run(['mc', 'latest'], captureIo({ answers: ['y', 'n'] }));
    expect(result.status).toBe(1);
    expect(result.err).toEqual(['nothing restored: mc is still running']);
    expect(stopGame).not.toHaveBeenCalled();
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
    expect(swapWrites()).toEqual([]);
  });

  it('a running game without a person and without --stop: refused with the command to run', async () => {
    deployed({ running: true });
    const result = await run(['mc', 'latest', '--yes']);
    expect(result.status).toBe(1);
    expect(result.err).toEqual(['mc is running; a restore needs it stopped: run `npm run --silent gm -- restore mc latest --stop` (or `npm run --silent gm -- stop mc` first)']);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  it('--stop stops without asking; a stop that fails leaves everything as it was', async () => {
    deployed({ running: true });
    stopGame.mockResolvedValue(false);
    const result = await run(['mc', 'latest', '--yes', '--stop']);
    expect(result.status).toBe(1);
    expect(result.asked).toEqual([]);
    expect(stopGame).toHaveBeenCalledTimes(1);
    expect(result.err).toEqual(['nothing restored: mc is not stopped']);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  it('without a person and without --yes: nothing done, with the command that confirms', async () => {
    deployed();
    const result = await run(['mc', 'latest']);
    expect(result.status).toBe(1);
    expect(result.err).toEqual(['nothing done: confirm with --yes when no one can answer, e.g. `npm run --silent gm -- restore mc latest --yes`']);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  it('Ctrl-C while AWS Backup works: the world is untouched, the job named, and how to use its copy later', async () => {
    deployed();
    const captured = captureIo({ interactive: false });
    clock.onSleep = () => captured.interrupt();
    const result = await run(['mc', 'latest', '--yes'], captured);
    expect(result.status).toBe(130);
    expect(result.err).toEqual([
      "interrupted: mc's world is untouched",
      `AWS Backup's restore job ${JOB} goes on; its copy is not used unless you run \`npm run --silent gm -- restore mc --job ${JOB}\` once it has finished`,
    ]);
    expect(swapWrites()).toEqual([]);
    expect(captured.progress.at(-1)).toBeUndefined();
  });

  it('a failed job: its status message, the world untouched, exit 1', async () => {
    deployed();
    backup.on(DescribeRestoreJobCommand).resolves(job('FAILED', { StatusMessage: 'Access denied to file system fs-0123456789abcdef0' }));
    const result = await run(['mc', 'latest', '--yes']);
    expect(result.status).toBe(1);
    expect(result.err).toEqual([`restore job ${JOB} FAILED: Access denied to file system fs-0123456789abcdef0; mc's world is untouched`]);
    expect(swapWrites()).toEqual([]);
  });

  it('says when the swap replaces one still pending', async () => {
    deployed();
    ssm.on(GetParameterCommand, { Name: SWAP }).resolves({ Parameter: { Name: SWAP, Type: 'String', Value: 'keep=before-restore-old\njob=old', Version: 1 } });
    const result = await run(['mc', 'latest', '--yes']);
    expect(result.status).toBe(0);
    expect(result.out).toContain('(this replaces a restore (job old), which was waiting for the next start)');
  });

  it('a backup that does not exist: one line pointing at gm backups', async () => {
    deployed();
    const result = await run(['mc', 'no-such-id', '--yes']);
    expect(result).toMatchObject({ status: 1, err: ['mc\'s world has no backup "no-such-id"; `npm run --silent gm -- backups mc` lists them'] });
    const partial = await run(['mc', NEWEST_PARTIAL.RecoveryPointArn!, '--yes']);
    expect(partial.err.at(-1)).toBe('backup 44444444-aaaa-4bbb-8ccc-000000000004 is PARTIAL, not COMPLETED: choose another with `npm run --silent gm -- backups mc`');
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  it('a world that is not deployed: one line naming the stack to deploy', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [] });
    const result = await run(['mc', 'latest', '--yes']);
    expect(result).toMatchObject({ status: 1, out: [], err: ["mc's world was not found: deploy gamemanagement-worlds first"] });
  });

  it('throttled past the retries: one line, exit 1, no swap', async () => {
    deployed();
    backup.on(StartRestoreJobCommand).rejects(throttling());
    const result = await run(['mc', 'latest', '--yes']);
    expect(result.status).toBe(1);
    expect(result.err).toEqual(['gm restore: AWS kept answering ThrottlingException after 5 attempts: try again in a minute']);
    expect(swapWrites()).toEqual([]);
  });

  it('access denied: one line naming the action', async () => {
    deployed();
    backup.on(StartRestoreJobCommand).rejects(awsError('AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/ana is not authorized to perform: iam:PassRole on resource: ${ROLE_ARN}`));
    const result = await run(['mc', 'latest', '--yes']);
    expect(result.status).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(new RegExp(`^gm restore: AWS denied iam:PassRole on ${ROLE_ARN}`));
  });

  it("latest is the newest of the deployment's vault, before a newer copy in EFS's automatic vault", async () => {
    deployed();
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [AUTOMATIC, OLDER, NEWEST] });
    expect((await run(['mc', 'latest', '--yes'])).status).toBe(0);
    expect(backup.commandCalls(StartRestoreJobCommand)[0]!.args[0].input.RecoveryPointArn).toBe(NEWEST.RecoveryPointArn);
  });

  it("a copy in EFS's automatic vault, whose policy denies restores: refused by name before asking or stopping anything", async () => {
    deployed({ running: true });
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [AUTOMATIC] });
    const result = await run(['mc', 'latest', '--yes', '--stop']);
    expect(result.status).toBe(1);
    expect(result.err).toEqual([
      "backup 55555555-aaaa-4bbb-8ccc-000000000005 is in aws/efs/automatic-backup-vault, whose access policy (AWS's own) denies every restore: "
      + "choose a backup of the deployment's vault (`npm run --silent gm -- backups mc`), or lift that deny in the vault's access policy and restore it from the AWS Backup console; nothing was done",
    ]);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('no credentials: one line, exit 1', async () => {
    efs.on(DescribeFileSystemsCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const result = await run(['mc', 'latest', '--yes']);
    expect(result.status).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^gm restore: no AWS credentials found/);
  });

  it('usage mistakes: exit 2', async () => {
    expect((await run(['mc'])).status).toBe(2);
    expect((await run(['mc', 'latest', '--undo'])).status).toBe(2);
    expect((await run(['mc', 'latest', '--job', JOB])).status).toBe(2);
    expect((await run(['mc', 'latest', 'extra'])).status).toBe(2);
  });
});

describe('gm restore <game> --job <id>', () => {
  it("puts a finished job's copy in place at the next start", async () => {
    deployed();
    backup.on(DescribeRestoreJobCommand).resolves(job('COMPLETED'));
    const result = await run(['mc', '--job', JOB, '--yes']);
    expect(result.status).toBe(0);
    expect(result.out).toEqual([...AFTER_RESTORE.map((l) => l.replace('10-20-30Z', '10-20-00Z')), `start it with ${START_CMD}, or connect to mc.example.com`]);
    expect(swapWrites().map((w) => w.Value)).toEqual([`keep=before-restore-2026-11-30T10-20-00Z\nrestored-between=20261130101800 20261130102230\njob=${JOB}`]);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
  });

  it('a job still running, a failed one, one of another file system, an unknown one: one line each, exit 1, no swap', async () => {
    deployed();
    backup.on(DescribeRestoreJobCommand).resolves(job('RUNNING', { PercentDone: '60.00%' }));
    expect((await run(['mc', '--job', JOB, '--yes'])).err).toEqual([`restore job ${JOB} is still RUNNING, 60.00%: run this again when it has finished`]);
    backup.on(DescribeRestoreJobCommand).resolves(job('ABORTED', { StatusMessage: 'Aborted by user' }));
    expect((await run(['mc', '--job', JOB, '--yes'])).err.at(-1)).toBe(`restore job ${JOB} ABORTED: Aborted by user; its copy cannot be used`);
    const other = `arn:aws:elasticfilesystem:eu-west-1:${ACCOUNT}:file-system/fs-0ffffffffffffffff`;
    backup.on(DescribeRestoreJobCommand).resolves(job('COMPLETED', { CreatedResourceArn: other }));
    expect((await run(['mc', '--job', JOB, '--yes'])).err.at(-1)).toBe(`restore job ${JOB} restored into ${other}, not mc's world (${FS_ARN})`);
    backup.on(DescribeRestoreJobCommand).rejects(awsError('ResourceNotFoundException', `Restore job ${JOB} not found`));
    const unknown = await run(['mc', '--job', JOB, '--yes']);
    expect(unknown.status).toBe(1);
    expect(unknown.err.at(-1)).toBe(`AWS Backup has no restore job ${JOB} in eu-west-1`);
    expect(swapWrites()).toEqual([]);
  });
});

describe('gm restore <game> --undo', () => {
  it('cancels a swap that has not happened yet: the world stays as it is', async () => {
    deployed();
    ssm.on(GetParameterCommand, { Name: SWAP }).resolves({ Parameter: { Name: SWAP, Type: 'String', Value: `keep=before-restore-x\njob=${JOB}`, Version: 1 } });
    const result = await run(['mc', '--undo']);
    expect(result).toMatchObject({ status: 0, out: [`cancelled a restore (job ${JOB}), which was waiting for mc's next start; the world stays as it is`], err: [] });
    expect(ssm.commandCalls(DeleteParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: SWAP }]);
    expect(swapWrites()).toEqual([]);
  });

  it('cancels an upload not yet in place (no question: nothing moves), and says where the uploaded files stay', async () => {
    deployed();
    ssm.on(GetParameterCommand, { Name: SWAP }).resolves({
      Parameter: { Name: SWAP, Type: 'String', Value: 'keep=before-upload-2026-11-30T10-45-00Z\nsource=upload-2026-11-30T10-45-00Z', Version: 3 },
    });
    const result = await run(['mc', '--undo']);
    expect(result).toMatchObject({
      status: 0,
      out: [
        "cancelled the upload in upload-2026-11-30T10-45-00Z, which was waiting for mc's next start; the world stays as it is",
        'the uploaded files stay in /mnt/gm-world/upload-2026-11-30T10-45-00Z on the host: remove them with `npm run --silent gm -- shell mc` or an SFTP client (`npm run --silent gm -- files mc`) when you no longer want them',
      ],
      err: [],
      asked: [],
    });
    expect(ssm.commandCalls(DeleteParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: SWAP }]);
    expect(swapWrites()).toEqual([]);
  });

  it('after a swap: asks for the newest before-restore folder back at the next start', async () => {
    deployed();
    const result = await run(['mc', '--undo'], captureIo({ answers: ['y'] }));
    expect(result.status).toBe(0);
    expect(result.asked).toEqual(["put the world set aside last (the newest before-restore or before-upload folder) back at mc's next start? the current world is kept aside [y/N] "]);
    expect(result.out).toEqual([
      "at mc's next start, before the game starts:",
      '  the newest before-restore-<time> or before-upload-<time> folder goes in place at /mnt/gm-world/volumes',
      '  the current world is kept in /mnt/gm-world/before-undo-2026-11-30T10-20-00Z/volumes',
      '(if there is none, the host leaves the world as it is)',
    ]);
    expect(swapWrites().map((w) => w.Value)).toEqual(['keep=before-undo-2026-11-30T10-20-00Z\nsource=newest-before-restore']);
  });

  it('no credentials: one line, exit 1', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const result = await run(['mc', '--undo', '--yes']);
    expect(result.status).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^gm restore: no AWS credentials found/);
  });
});

/**
 * The AWS Backup side of `gm restore`: the restore role's ARN, the restore
 * job into the world's own file system (only its `volumes` folder, which AWS
 * Backup writes to a new `aws-backup-restore_<time>` folder of the root, never
 * over the live world), and the job's state.
 */
import { DescribeRestoreJobCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { backup, sts } from '../../lambdas/shared/clients';
import { errorName } from '../../lambdas/shared/transient';
import { VOLUMES_DIRECTORY } from '../../runtime/world-paths';
import { roleArn } from '../../runtime/arns';
import { deploymentResourceNames } from '../../runtime/names';
import type { GameTarget } from '../aws/deployment';
import type { RecoveryPoint, World } from '../aws/world';

/** Statuses after which a restore job changes no more. */
export const FINAL_RESTORE_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'ABORTED', 'FAILED']);

export interface RestoreJob {
  readonly id: string;
  /** PENDING, RUNNING, COMPLETED, ABORTED or FAILED. */
  readonly status: string;
  readonly percentDone?: string;
  readonly statusMessage?: string;
  readonly createdAt?: Date;
  readonly completedAt?: Date;
  readonly recoveryPointArn?: string;
  /** The file system restored into. */
  readonly createdResourceArn?: string;
}

/** The deployment's restore role in the caller's account (and partition). */
export async function restoreRoleArn(target: GameTarget): Promise<string> {
  const me = await sts(target.region).send(new GetCallerIdentityCommand({}));
  const partition = me.Arn?.split(':')[1] || 'aws';
  return roleArn({ partition, account: me.Account ?? '' }, deploymentResourceNames(target.deployment.config.name).worldRestoreRole);
}

/**
 * Starts restoring the recovery point's `volumes` folder into the world's
 * own file system (the EFS metadata AWS Backup documents for a restore into
 * an existing file system). Returns the job id.
 */
export async function startRestoreJob(target: GameTarget, world: World, point: RecoveryPoint, iamRoleArn: string, now: Date): Promise<string> {
  const out = await backup(target.region).send(new StartRestoreJobCommand({
    RecoveryPointArn: point.arn,
    IamRoleArn: iamRoleArn,
    ResourceType: 'EFS',
    Metadata: {
      'file-system-id': world.fileSystemId,
      newFileSystem: 'false',
      Encrypted: String(world.encrypted),
      PerformanceMode: world.performanceMode,
      // Required by the API; only a new file system would use it.
      CreationToken: `${target.names.world}-restore-${now.getTime()}`,
      ItemsToRestore: JSON.stringify([`/${VOLUMES_DIRECTORY}`]),
    },
  }));
  if (!out.RestoreJobId) throw new Error('AWS Backup started no restore job (no RestoreJobId in its answer)');
  return out.RestoreJobId;
}

/** The job, or undefined when AWS Backup knows no job of that id. */
export async function describeRestoreJob(target: GameTarget, jobId: string): Promise<RestoreJob | undefined> {
  try {
    const out = await backup(target.region).send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
    return {
      id: out.RestoreJobId ?? jobId,
      status: String(out.Status ?? 'PENDING'),
      percentDone: out.PercentDone,
      statusMessage: out.StatusMessage,
      createdAt: out.CreationDate,
      completedAt: out.CompletionDate,
      recoveryPointArn: out.RecoveryPointArn,
      createdResourceArn: out.CreatedResourceArn,
    };
  } catch (e) {
    const name = errorName(e);
    // An id AWS Backup cannot even parse is as unknown as one it cannot find.
    if (name === 'ResourceNotFoundException' || name === 'InvalidParameterValueException') return undefined;
    throw e;
  }
}

/** The job's state in a few words: "RUNNING, 45%". */
export function describeJobState(job: RestoreJob): string {
  const percent = job.percentDone?.trim();
  return percent && job.status === 'RUNNING' ? `${job.status}, ${percent.endsWith('%') ? percent : `${percent}%`}` : job.status;
}

/**
 * A game's world as `gm backups` and `gm restore` find it: the EFS file
 * system (adopted by id, or the one synth created, found by its creation
 * token) and its AWS Backup recovery points, newest first.
 */
import { ListRecoveryPointsByResourceCommand, type RecoveryPointByResource } from '@aws-sdk/client-backup';
import { DescribeFileSystemsCommand, type FileSystemDescription } from '@aws-sdk/client-efs';
import { backup, efs } from '../../lambdas/shared/clients';
import { errorName } from '../../lambdas/shared/transient';
import { WORLDS_STACK } from '../../stacks/worlds-stack-name';
import type { GameTarget } from './deployment';

export interface World {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  /** What a restore into this file system must repeat (StartRestoreJob's EFS metadata). */
  readonly encrypted: boolean;
  readonly performanceMode: string;
}

export interface RecoveryPoint {
  readonly arn: string;
  /** The ARN's last part: what `gm backups` shows and `gm restore` accepts. */
  readonly id: string;
  readonly createdAt: Date;
  readonly status: string;
  readonly sizeBytes?: number;
  readonly vaultName?: string;
}

/**
 * Where EFS's own automatic backups go. AWS gives this vault an access policy
 * that denies `backup:StartRestoreJob` to everyone, so its recovery points
 * (a world's from before the deployment's own plan) cannot be restored as
 * they are (https://repost.aws/knowledge-center/backup-insufficient-privileges-efs).
 */
export const EFS_AUTOMATIC_BACKUP_VAULT = 'aws/efs/automatic-backup-vault';

/** The world was not found: said in one line by the command. */
export class WorldNotFoundError extends Error {
  override readonly name = 'WorldNotFoundError';
}

function worldOf(fs: FileSystemDescription): World {
  return {
    fileSystemId: fs.FileSystemId ?? '',
    fileSystemArn: fs.FileSystemArn ?? '',
    encrypted: fs.Encrypted ?? true,
    performanceMode: fs.PerformanceMode ?? 'generalPurpose',
  };
}

/** The game's world, or WorldNotFoundError with the sentence to print. */
export async function findWorld(target: GameTarget): Promise<World> {
  const id = target.game.id;
  const adopted = target.game.existingFileSystemId;
  if (adopted) {
    try {
      const out = await efs(target.region).send(new DescribeFileSystemsCommand({ FileSystemId: adopted }));
      const fs = out.FileSystems?.[0];
      if (fs) return worldOf(fs);
    } catch (e) {
      if (errorName(e) !== 'FileSystemNotFound') throw e;
    }
    throw new WorldNotFoundError(`${id}'s world ${adopted} (existingFileSystemId in ${target.deployment.file}) was not found in ${target.region}: check the id and the region`);
  }
  const out = await efs(target.region).send(new DescribeFileSystemsCommand({ CreationToken: target.names.world }));
  const fs = out.FileSystems?.[0];
  if (!fs) throw new WorldNotFoundError(`${id}'s world was not found: deploy ${WORLDS_STACK} first`);
  return worldOf(fs);
}

/** The last part of a recovery point ARN (`arn:aws:backup:…:recovery-point:<id>`). */
export function recoveryPointId(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

function recoveryPointOf(point: RecoveryPointByResource): RecoveryPoint[] {
  if (!point.RecoveryPointArn) return [];
  return [{
    arn: point.RecoveryPointArn,
    id: recoveryPointId(point.RecoveryPointArn),
    createdAt: point.CreationDate ?? new Date(0),
    status: String(point.Status ?? 'UNKNOWN'),
    sizeBytes: point.BackupSizeBytes,
    vaultName: point.BackupVaultName,
  }];
}

/** Every recovery point of the world (all pages), newest first. */
export async function listRecoveryPoints(target: GameTarget, world: World): Promise<RecoveryPoint[]> {
  const points: RecoveryPoint[] = [];
  let token: string | undefined;
  do {
    const out = await backup(target.region).send(new ListRecoveryPointsByResourceCommand({ ResourceArn: world.fileSystemArn, NextToken: token }));
    points.push(...(out.RecoveryPoints ?? []).flatMap(recoveryPointOf));
    token = out.NextToken;
  } while (token);
  return points.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Why a world has no recovery point: one sentence. */
export function noRecoveryPointsLine(target: GameTarget): string {
  return target.game.backups
    ? `${target.game.id}'s world has no backups yet: the first daily backup runs within a day of the deploy`
    : `${target.game.id}'s world has no backups: backups are turned off (backups: false in ${target.deployment.file})`;
}

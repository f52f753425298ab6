import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import { resourceName } from '../support/naming';
import { deploymentResourceNames } from '../../runtime/names';
import { AwsBackupRole } from './aws-backup-role';
/** Days a recovery point is kept: as long as EFS's own automatic backups keep theirs. */
export const WORLD_BACKUP_RETENTION_DAYS = 35;
/** Every day at 05:00 UTC (the middle of the night in Europe, the evening before in the Americas). */
export const WORLD_BACKUP_SCHEDULE = 'cron(0 5 * * ? *)';

export interface WorldBackupsProps {
  /** Resource-name prefix. */
  readonly prefix: string;
}

/**
 * Daily AWS Backup of the worlds into a vault of the deployment's own.
 *
 * Not EFS's automatic backups: those go to `aws/efs/automatic-backup-vault`,
 * whose access policy AWS creates with an explicit deny of
 * `backup:StartRestoreJob` for everyone, so `gm restore` could not restore
 * them (https://repost.aws/knowledge-center/backup-insufficient-privileges-efs).
 * This vault has no access policy: the operator's IAM policy decides.
 * Recovery points outlive the file system and expire after
 * WORLD_BACKUP_RETENTION_DAYS.
 */
export class WorldBackups extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: WorldBackupsProps) {
    super(scope, id);
    const names = deploymentResourceNames(props.prefix);
    this.role = new AwsBackupRole(this, 'backup-role', {
      name: names.worldBackupRole,
      description: 'AWS Backup backs the game worlds up with this role',
      purpose: 'backups',
    }).role;
    // Encrypted with AWS Backup's own key for the vault (no KMS key to pay for or lose).
    this.vault = new BackupVault(this, 'vault', { name: names.worldBackupVault });
    this.plan = new BackupPlan(this, 'plan', {
      name: names.worldBackupPlan,
      rule: [{
        ruleName: 'daily',
        targetVaultName: this.vault.name,
        schedule: WORLD_BACKUP_SCHEDULE,
        startWindow: 60,
        completionWindow: 360,
        lifecycle: { deleteAfter: WORLD_BACKUP_RETENTION_DAYS },
      }],
    });
  }

  /**
   * Backs a game's world up: a selection in the game's world construct
   * (`scope`), so it is counted as the game's; `address` is its stable
   * Terraform name.
   */
  protect(scope: Construct, prefix: string, gameId: string, fileSystemArn: string, address: string): BackupSelection {
    const selection = new BackupSelection(scope, 'backup-selection', {
      name: resourceName(prefix, gameId, 'world'),
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [fileSystemArn],
    });
    selection.overrideLogicalId(address);
    return selection;
  }
}

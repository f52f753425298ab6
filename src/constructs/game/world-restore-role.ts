import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { assumeRolePolicy } from '../support/iam-document';
import { deploymentResourceNames } from '../../runtime/names';

/** The managed policy AWS documents for restore roles (EFS restores included). */
const RESTORE_MANAGED_POLICY = 'AWSBackupServiceRolePolicyForRestores';

export interface WorldRestoreRoleProps {
  /** Resource-name prefix. */
  readonly prefix: string;
}

/**
 * The role AWS Backup assumes to restore a world into its file system
 * (`gm restore`), so a restore needs no set-up in the console. One per
 * deployment; only AWS Backup can assume it.
 */
export class WorldRestoreRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: WorldRestoreRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: deploymentResourceNames(props.prefix).worldRestoreRole,
      description: 'AWS Backup restores a game world with this role (gm restore)',
      assumeRolePolicy: assumeRolePolicy('backup.amazonaws.com'),
    });
    // The policy AWS maintains for restores (EFS included); the partition comes from the role's own ARN.
    const partition = Fn.element(Fn.split(':', this.role.arn), 1);
    new IamRolePolicyAttachment(this, 'restores', {
      role: this.role.name,
      policyArn: `arn:${partition}:iam::aws:policy/service-role/${RESTORE_MANAGED_POLICY}`,
    });
  }
}

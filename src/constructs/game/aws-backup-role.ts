import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { assumeRolePolicy } from '../support/iam-document';

/** The managed policies AWS documents for AWS Backup's service roles (EFS included), by what the role does. */
const MANAGED_POLICIES = {
  backups: 'AWSBackupServiceRolePolicyForBackup',
  restores: 'AWSBackupServiceRolePolicyForRestores',
} as const;

export interface AwsBackupRoleProps {
  readonly name: string;
  readonly description: string;
  /** What AWS Backup does with the role: back the worlds up, or restore one (`gm restore`). */
  readonly purpose: keyof typeof MANAGED_POLICIES;
}

/**
 * A role only AWS Backup can assume, with the policy AWS maintains for that
 * work, so backups and restores need no set-up in the console.
 */
export class AwsBackupRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AwsBackupRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: assumeRolePolicy('backup.amazonaws.com'),
    });
    // The partition comes from the role's own ARN.
    const partition = Fn.element(Fn.split(':', this.role.arn), 1);
    new IamRolePolicyAttachment(this, props.purpose, {
      role: this.role.name,
      policyArn: `arn:${partition}:iam::aws:policy/service-role/${MANAGED_POLICIES[props.purpose]}`,
    });
  }
}

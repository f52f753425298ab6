/**
 * ARNs built from names, the same way at synth (with the account and
 * partition as Terraform tokens) and in the CLI (with the caller's account),
 * so no data source has to ask AWS at plan time.
 */

/** Where an ARN is: its partition and account (tokens) and region. */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * An SSM parameter's ARN (or pattern, with `*`) from its name:
 * `arn:<partition>:ssm:<region>:<account>:parameter/<name without the leading slash>`.
 */
export function parameterArn(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:ssm:${scope.region}:${scope.account}:parameter/${name.replace(/^\//, '')}`;
}

/**
 * An Auto Scaling group's ARN pattern by name (its id, a UUID, is only known to AWS):
 * `arn:<partition>:autoscaling:<region>:<account>:autoScalingGroup:*:autoScalingGroupName/<name>`.
 */
export function autoScalingGroupArn(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:autoscaling:${scope.region}:${scope.account}:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

/** An IAM role's ARN (roles are created at path `/`). */
export function roleArn(scope: Pick<ArnScope, 'partition' | 'account'>, roleName: string): string {
  return `arn:${scope.partition}:iam::${scope.account}:role/${roleName}`;
}

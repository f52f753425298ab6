/**
 * Pieces of ARNs from other resources' ARNs, so policies can name exact
 * resources without a data source asking AWS for the account id at plan time.
 */
import { Fn } from 'cdktf';

/** The account id (5th field) of any ARN token. */
export function accountOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 4);
}

/** The partition (2nd field) of any ARN token: aws, aws-cn, aws-us-gov. */
export function partitionOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 1);
}

/** Where an ARN is: its partition and account (tokens) and region. */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** Partition and account of another resource's ARN token, in `region`. */
export function scopeOf(arn: string, region: string): ArnScope {
  return { partition: partitionOf(arn), region, account: accountOf(arn) };
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

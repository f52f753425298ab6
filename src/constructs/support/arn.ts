/**
 * Pieces of ARNs from other resources' ARNs, so policies can name exact
 * resources without a data source asking AWS for the account id at plan time.
 */
import { Fn } from 'cdktf';
import type { ArnScope } from '../../runtime/arns';

// The builders from names are shared with the CLI; constructs take them from here with the token helpers.
export { autoScalingGroupArn, parameterArn, roleArn, type ArnScope } from '../../runtime/arns';

/** The account id (5th field) of any ARN token. */
export function accountOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 4);
}

/** The partition (2nd field) of any ARN token: aws, aws-cn, aws-us-gov. */
export function partitionOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 1);
}

/** Partition and account of another resource's ARN token, in `region`. */
export function scopeOf(arn: string, region: string): ArnScope {
  return { partition: partitionOf(arn), region, account: accountOf(arn) };
}


/**
 * The IAM policy an operator's credentials need for every `gm` command, for
 * one deployment: scoped to its names (`<name>-*`, `/<name>/*`), its region
 * and, for shells and tunnels, to instances tagged `Deployment=<name>`.
 * `gm policy` prints it; a test checks that it grants every AWS call the
 * commands can make.
 */
import { DEPLOYMENT_TAG } from '../constructs/support/naming';
import { autoScalingGroupArn, parameterArn, roleArn } from '../runtime/arns';
import { deploymentResourceNames } from '../runtime/names';

export interface OperatorStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

export interface OperatorPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly OperatorStatement[];
}

/**
 * `account`: the account id, or `*` (any account: the policy is attached in
 * the deployment's own account, so `*` names no more than that account's resources).
 */
export function operatorPolicy(prefix: string, region: string, account = '*', partition = 'aws'): OperatorPolicy {
  const arn = (service: string, resource: string, inRegion = region, inAccount = account) => `arn:${partition}:${service}:${inRegion}:${inAccount}:${resource}`;
  const scope = { partition, region, account };
  const ownInstances = { StringEquals: { [`ssm:resourceTag/${DEPLOYMENT_TAG}`]: prefix } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadWhatRuns',
        Effect: 'Allow',
        // These reads take no resource narrower than `*` (or look a resource up by a name only AWS can match).
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          // A game with a warm pool: its instances on their way back are listed only there.
          'autoscaling:DescribeWarmPool',
          'ec2:DescribeInstances',
          'elasticfilesystem:DescribeFileSystems',
          'backup:ListRecoveryPointsByResource',
          'backup:DescribeRestoreJob',
          'ssm:GetCommandInvocation',
          'sts:GetCallerIdentity',
        ],
        Resource: '*',
      },
      {
        Sid: 'StartAndStopOwnGames',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity'],
        Resource: autoScalingGroupArn(scope, `${prefix}-*`),
        Condition: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: prefix } },
      },
      {
        Sid: 'OwnGameState',
        Effect: 'Allow',
        // Sessions, pending wakes, the watchdog's state, a restore's or upload's world swap.
        Action: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'],
        Resource: parameterArn(scope, `/${prefix}/*`),
      },
      {
        Sid: 'ListOwnTasks',
        Effect: 'Allow',
        // ListTasks names the cluster only in its condition key.
        Action: ['ecs:ListTasks'],
        Resource: '*',
        Condition: { ArnLike: { 'ecs:cluster': arn('ecs', `cluster/${prefix}-*`) } },
      },
      {
        Sid: 'DescribeOwnContainers',
        Effect: 'Allow',
        Action: ['ecs:DescribeTasks', 'ecs:DescribeContainerInstances', 'ecs:ListContainerInstances'],
        Resource: [arn('ecs', `task/${prefix}-*/*`), arn('ecs', `container-instance/${prefix}-*/*`), arn('ecs', `cluster/${prefix}-*`)],
      },
      {
        Sid: 'ReadOwnGameLogs',
        Effect: 'Allow',
        Action: ['logs:FilterLogEvents'],
        Resource: arn('logs', `log-group:/${prefix}/*/game:*`),
      },
      {
        Sid: 'ShellsAndTunnelsToOwnHosts',
        Effect: 'Allow',
        Action: ['ssm:StartSession', 'ssm:SendCommand'],
        Resource: arn('ec2', 'instance/*'),
        Condition: ownInstances,
      },
      {
        Sid: 'ShellAndTunnelDocuments',
        Effect: 'Allow',
        // Session Manager's shell, its port forwarding (gm files), and the script that installs a short-lived key.
        Action: ['ssm:StartSession', 'ssm:SendCommand'],
        Resource: [
          arn('ssm', 'document/SSM-SessionManagerRunShell'),
          arn('ssm', 'document/AWS-StartPortForwardingSession', region, ''),
          arn('ssm', 'document/AWS-RunShellScript', region, ''),
        ],
      },
      {
        Sid: 'EndOwnSessions',
        Effect: 'Allow',
        Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
        Resource: arn('ssm', 'session/*'),
      },
      {
        Sid: 'RestoreWorlds',
        Effect: 'Allow',
        Action: ['backup:StartRestoreJob'],
        Resource: arn('backup', 'recovery-point:*'),
      },
      {
        Sid: 'HandTheRestoreRoleToAwsBackup',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: roleArn(scope, deploymentResourceNames(prefix).worldRestoreRole),
        Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      },
    ],
  };
}

import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { gameResourceNames } from '../../runtime/names';
import { parameterArn, scopeOf } from '../support/arn';
import { assumeRolePolicy, policyDocument } from '../support/iam-document';
import { resourceName } from '../support/naming';

export interface InstanceRoleProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Game id. */
  readonly gameId: string;
  /** ARN of the game's ECS cluster: the agent may join only this one. */
  readonly clusterArn: string;
  /** ARN of the game's container log group. */
  readonly logGroupArn: string;
  /**
   * The game's world: the host mounts it whole (for `gm files`) and applies a
   * pending `gm restore` at boot. Default: no world access.
   */
  readonly world?: { readonly fileSystemArn: string; readonly region: string };
  /**
   * Repositories of the game's ECR pull-through cache (an ARN pattern): the
   * agent's first pull creates the repository and imports the image. Default none.
   */
  readonly imageCacheRepositoryArns?: string;
}

/**
 * The host's role: exactly what the ECS agent and SSM (Session Manager and
 * Run Command) need, and the world's mount and swap parameter, as inline
 * policies so every action shows in the JSON.
 * Assume the instance can be broken into: it can reach nothing else.
 * Containers cannot use it either (IMDSv2 with hop limit 1).
 */
export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const name = resourceName(props.prefix, props.gameId, 'host');
    this.role = new IamRole(this, 'role', {
      name,
      description: `Host of game ${props.gameId}: ECS agent and SSM only`,
      assumeRolePolicy: assumeRolePolicy('ec2.amazonaws.com'),
    });
    new IamRolePolicy(this, 'ecs-agent', {
      name: 'ecs-agent',
      role: this.role.id,
      policy: policyDocument(
        {
          Sid: 'JoinOnlyThisCluster',
          Effect: 'Allow',
          // Each action by name (no `Submit*`): the agent reports attachments, containers and tasks.
          Action: ['ecs:RegisterContainerInstance', 'ecs:DeregisterContainerInstance', 'ecs:SubmitAttachmentStateChanges', 'ecs:SubmitContainerStateChange', 'ecs:SubmitTaskStateChange'],
          Resource: props.clusterArn,
        },
        {
          Sid: 'AgentWithinThisCluster',
          Effect: 'Allow',
          Action: ['ecs:Poll', 'ecs:StartTelemetrySession', 'ecs:PutSystemLogEvents', 'ecs:UpdateContainerInstancesState'],
          Resource: '*',
          Condition: { ArnEquals: { 'ecs:cluster': props.clusterArn } },
        },
        {
          Sid: 'AgentEndpoints',
          Effect: 'Allow',
          Action: ['ecs:DiscoverPollEndpoint', 'ecr:GetAuthorizationToken'],
          Resource: '*',
        },
        {
          Sid: 'PullFromEcr',
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          // This account's repositories only (an image cache, or the user's own).
          Resource: `arn:${scopeOf(props.clusterArn, '*').partition}:ecr:*:${scopeOf(props.clusterArn, '*').account}:repository/*`,
        },
        {
          Sid: 'ContainerLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${props.logGroupArn}:*`,
        },
      ),
    });
    if (props.imageCacheRepositoryArns) {
      new IamRolePolicy(this, 'image-cache', {
        name: 'image-pull-through-cache',
        role: this.role.id,
        policy: policyDocument({
          Sid: 'FillTheImageCache',
          Effect: 'Allow',
          // The first pull of an image not yet cached creates its repository and imports it from upstream.
          Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
          Resource: props.imageCacheRepositoryArns,
        }),
      });
    }
    new IamRolePolicy(this, 'ssm', {
      name: 'ssm-session-and-run-command',
      role: this.role.id,
      policy: policyDocument(
        {
          Sid: 'RegisterWithSsm',
          Effect: 'Allow',
          Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations'],
          Resource: '*',
        },
        {
          Sid: 'SessionManagerChannels',
          Effect: 'Allow',
          Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
          Resource: '*',
        },
        {
          Sid: 'RunCommandDelivery',
          Effect: 'Allow',
          Action: ['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply'],
          Resource: '*',
        },
      ),
    });
    if (props.world) {
      const swapParameter = gameResourceNames(props.prefix, props.gameId).worldSwapParameter;
      new IamRolePolicy(this, 'world', {
        name: 'world-mount-and-swap',
        role: this.role.id,
        policy: policyDocument(
          {
            Sid: 'MountTheWorld',
            Effect: 'Allow',
            // Root access: the host moves folders owned by the game's uid when it puts a restore in place.
            Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
            Resource: props.world.fileSystemArn,
            Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
          },
          {
            Sid: 'ReadAndClearTheSwapRequest',
            Effect: 'Allow',
            Action: ['ssm:GetParameter', 'ssm:DeleteParameter'],
            // Account and partition from the cluster's ARN: no data source asks AWS at plan time.
            Resource: parameterArn(scopeOf(props.clusterArn, props.world.region), swapParameter),
          },
        ),
      });
    }
    this.profile = new IamInstanceProfile(this, 'profile', { name, role: this.role.name });
  }
}

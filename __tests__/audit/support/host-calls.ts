/**
 * The AWS calls the game host makes with its instance role, each on the
 * resource it is made on. Sources (what each agent calls, and on what):
 * - ECS container agent: the ECS instance role's managed policy
 *   AmazonEC2ContainerServiceforEC2Role
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-iam-awsmanpol.html)
 *   and "Amazon ECS container instance IAM role"
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html);
 *   the awslogs log driver writes the container's logs with the instance role
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html).
 *   Images come from public registries: no ECR call unless an image is in ECR.
 * - SSM Agent for Session Manager and Run Command: AmazonSSMManagedInstanceCore
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html)
 *   without what only State Manager, Patch Manager or Inventory use (this
 *   deployment creates no association, so the agent lists associations and finds none).
 * - The world: amazon-efs-utils mounts with IAM authorisation over TLS
 *   (https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html);
 *   the boot-time swap program reads and deletes the world-swap parameter.
 */
import { ASSIGNED } from '../../../src/audit/arns';
import type { GameConfig } from '../../../src/config/resolve';
import { parameterArn, type ArnScope } from '../../../src/runtime/arns';
import { gameResourceNames } from '../../../src/runtime/names';
import type { Call } from './function-calls';

const INSTANCE_ID = 'i-0123456789abcdef0';
const CONTAINER_INSTANCE_ID = '0123456789abcdef0123456789abcdef';

export function hostCalls(prefix: string, game: GameConfig, scope: ArnScope): Call[] {
  const names = gameResourceNames(prefix, game.id);
  const { partition: p, region: r, account: a } = scope;
  const cluster = `arn:${p}:ecs:${r}:${a}:cluster/${names.cluster}`;
  const containerInstance = `arn:${p}:ecs:${r}:${a}:container-instance/${names.cluster}/${CONTAINER_INSTANCE_ID}`;
  const instance = `arn:${p}:ec2:${r}:${a}:instance/${INSTANCE_ID}`;
  const logStream = `arn:${p}:logs:${r}:${a}:log-group:${names.logGroup}:log-stream:${game.id}/game/0123456789abcdef0123456789abcdef`;
  const fileSystem = `arn:${p}:elasticfilesystem:${r}:${a}:file-system/${game.existingFileSystemId ?? ASSIGNED.fileSystemId}`;
  const inCluster = { 'ecs:cluster': cluster };
  const call = (action: string, resource: string, context?: Call['context']): Call => ({ action, resource, ...(context ? { context } : {}) });
  return [
    // ECS agent: find its endpoint, join the game's cluster, take work, report state, send telemetry.
    call('ecs:DiscoverPollEndpoint', '*'),
    call('ecs:RegisterContainerInstance', cluster),
    call('ecs:DeregisterContainerInstance', cluster),
    call('ecs:Poll', containerInstance, inCluster),
    call('ecs:StartTelemetrySession', containerInstance, inCluster),
    call('ecs:PutSystemLogEvents', containerInstance, inCluster),
    call('ecs:UpdateContainerInstancesState', containerInstance, inCluster),
    call('ecs:SubmitTaskStateChange', cluster),
    call('ecs:SubmitContainerStateChange', cluster),
    call('ecs:SubmitAttachmentStateChanges', cluster),
    // awslogs: the game container's log group only.
    call('logs:CreateLogStream', logStream),
    call('logs:PutLogEvents', logStream),
    // SSM Agent: register, then Session Manager channels and Run Command messages.
    call('ssm:UpdateInstanceInformation', instance),
    call('ssm:ListInstanceAssociations', instance),
    ...['CreateControlChannel', 'CreateDataChannel', 'OpenControlChannel', 'OpenDataChannel'].map((n) => call(`ssmmessages:${n}`, '*')),
    ...['AcknowledgeMessage', 'DeleteMessage', 'FailMessage', 'GetEndpoint', 'GetMessages', 'SendReply'].map((n) => call(`ec2messages:${n}`, '*')),
    // The world, mounted whole through its mount target (root access: a restore moves the game's folders).
    ...['ClientMount', 'ClientWrite', 'ClientRootAccess'].map((n) => call(`elasticfilesystem:${n}`, fileSystem, { 'elasticfilesystem:AccessedViaMountTarget': 'true' })),
    call('ssm:GetParameter', parameterArn(scope, names.worldSwapParameter)),
    call('ssm:DeleteParameter', parameterArn(scope, names.worldSwapParameter)),
  ];
}

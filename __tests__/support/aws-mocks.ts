/**
 * The SDK clients the functions use, mocked with aws-sdk-client-mock (one
 * stub per client class: every client the functions make, in any region, is
 * answered by it), and the answers several suites give them.
 */
import { AutoScalingClient, type AutoScalingGroup, type DescribeAutoScalingGroupsCommandOutput, type LifecycleState } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

/** Every AWS service a function calls. */
export function mockAwsClients() {
  return {
    autoScaling: mockClient(AutoScalingClient),
    cloudWatch: mockClient(CloudWatchClient),
    ec2: mockClient(EC2Client),
    ecs: mockClient(ECSClient),
    eventBridge: mockClient(EventBridgeClient),
    route53: mockClient(Route53Client),
    sns: mockClient(SNSClient),
    ssm: mockClient(SSMClient),
  };
}

export type AwsMocks = ReturnType<typeof mockAwsClients>;
export type ServiceName = keyof AwsMocks;

/** Forgets every answer and call (call in beforeEach). */
export function resetMocks(mocks: AwsMocks): void {
  for (const mock of Object.values(mocks)) mock.reset();
}

/** An Auto Scaling group as DescribeAutoScalingGroups lists it (min 0, max 1, one zone), with its instances. */
export function groupDescription(
  name: string,
  desiredCapacity: number,
  instances: readonly { readonly id: string; readonly state: string }[],
): DescribeAutoScalingGroupsCommandOutput {
  const group: AutoScalingGroup = {
    AutoScalingGroupName: name,
    DesiredCapacity: desiredCapacity,
    MinSize: 0,
    MaxSize: 1,
    DefaultCooldown: 300,
    AvailabilityZones: ['eu-west-1a'],
    HealthCheckType: 'EC2',
    CreatedTime: new Date('2025-01-01T00:00:00Z'),
    Instances: instances.map(({ id, state }) => ({
      InstanceId: id,
      LifecycleState: state as LifecycleState,
      AvailabilityZone: 'eu-west-1a',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
    })),
  };
  return { $metadata: {}, AutoScalingGroups: [group] };
}

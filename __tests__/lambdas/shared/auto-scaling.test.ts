/**
 * describeGroup: the group's desired capacity and instances, and — only for
 * a group with a warm pool — the pool's instances, which DescribeAutoScalingGroups
 * does not list (an instance returning to the pool saves the world there).
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeWarmPoolCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { describeGroup } from '../../../src/lambdas/shared/auto-scaling';
import { worldHeld } from '../../../src/runtime/session';
import { awsError, throttling } from '../../support/aws-errors';

const ASG = 'gm-mc';
const REGION = 'eu-west-1';
const autoScaling = mockClient(AutoScalingClient);
const WARM_POOL = { PoolState: 'Stopped' as const, MinSize: 0, InstanceReusePolicy: { ReuseOnScaleIn: true } };

function group(extra: Record<string, unknown> = {}) {
  return {
    AutoScalingGroups: [{
      AutoScalingGroupName: ASG, MinSize: 0, MaxSize: 1, DesiredCapacity: 0, DefaultCooldown: 300, AvailabilityZones: ['eu-west-1a'],
      HealthCheckType: 'EC2', CreatedTime: new Date('2026-11-01T00:00:00Z'), Instances: [], ...extra,
    }],
  };
}

beforeEach(() => autoScaling.reset());
afterAll(() => autoScaling.restore());

describe('describeGroup', () => {
  it('reads only the group when it has no warm pool', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group({
      DesiredCapacity: 1,
      Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', LifecycleState: 'InService', AvailabilityZone: 'eu-west-1a', HealthStatus: 'Healthy', ProtectedFromScaleIn: false }],
    }));
    await expect(describeGroup(ASG, REGION)).resolves.toEqual({ desiredCapacity: 1, instances: [{ instanceId: 'i-0aaaaaaaaaaaaaaa1', lifecycleState: 'InService' }] });
    expect(autoScaling.commandCalls(DescribeWarmPoolCommand)).toHaveLength(0);
  });

  it('reads every page of the warm pool when the group has one', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group({ WarmPoolConfiguration: WARM_POOL, WarmPoolSize: 1 }));
    autoScaling.on(DescribeWarmPoolCommand, { AutoScalingGroupName: ASG, NextToken: undefined }).resolves({
      WarmPoolConfiguration: WARM_POOL,
      Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', LifecycleState: 'Warmed:Pending:Wait', AvailabilityZone: 'eu-west-1a', HealthStatus: 'Healthy', ProtectedFromScaleIn: false }],
      NextToken: 'page-2',
    });
    autoScaling.on(DescribeWarmPoolCommand, { AutoScalingGroupName: ASG, NextToken: 'page-2' }).resolves({
      Instances: [{ InstanceId: 'i-0bbbbbbbbbbbbbbb2', LifecycleState: 'Warmed:Stopped', AvailabilityZone: 'eu-west-1a', HealthStatus: 'Healthy', ProtectedFromScaleIn: false }],
    });
    const snapshot = await describeGroup(ASG, REGION);
    expect(snapshot).toEqual({
      desiredCapacity: 0,
      instances: [],
      warmPool: [{ instanceId: 'i-0aaaaaaaaaaaaaaa1', lifecycleState: 'Warmed:Pending:Wait' }, { instanceId: 'i-0bbbbbbbbbbbbbbb2', lifecycleState: 'Warmed:Stopped' }],
    });
    // The instance on its way back still saves the world; a stopped one in the pool does not hold it.
    expect(worldHeld(snapshot!)).toBe(true);
    expect(worldHeld({ ...snapshot!, warmPool: snapshot!.warmPool!.slice(1) })).toBe(false);
  });

  it('answers undefined for a group that does not exist, without asking for a pool', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await expect(describeGroup(ASG, REGION)).resolves.toBeUndefined();
    expect(autoScaling.commandCalls(DescribeWarmPoolCommand)).toHaveLength(0);
  });

  it('lets a throttled warm pool read fail the call: a guess could let a second host mount the world', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group({ WarmPoolConfiguration: WARM_POOL }));
    autoScaling.on(DescribeWarmPoolCommand).rejects(throttling());
    await expect(describeGroup(ASG, REGION)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('passes an access denied on DescribeWarmPool on, naming the action', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(group({ WarmPoolConfiguration: WARM_POOL }));
    autoScaling.on(DescribeWarmPoolCommand).rejects(awsError('AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/gm-waker/gm-waker is not authorized to perform: autoscaling:DescribeWarmPool because no identity-based policy allows the autoscaling:DescribeWarmPool action', 403));
    await expect(describeGroup(ASG, REGION)).rejects.toThrow(/autoscaling:DescribeWarmPool/);
  });

  it('passes missing credentials on', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    await expect(describeGroup(ASG, REGION)).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});

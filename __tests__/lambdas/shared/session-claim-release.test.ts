/**
 * requestStart releases its session claim when the start fails after
 * claiming: a claim left behind by a start that never raised the group would
 * make every retry answer "already up" until the claim is stale (a lost start).
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeWarmPoolCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { ClaimNotReleasedError, requestStart } from '../../../src/lambdas/shared/session';
import { awsError, throttling, timeoutError } from '../../support/aws-errors';
import { GAME } from '../../support/game';

const ssm = mockClient(SSMClient);
const autoScaling = mockClient(AutoScalingClient);

const TARGET = GAME;
const REQUEST = { source: 'lookup' as const, now: new Date('2025-01-01T00:00:00.000Z') };
const stoppedGroup = { AutoScalingGroups: [{ AutoScalingGroupName: TARGET.asgName, DesiredCapacity: 0, MinSize: 0, MaxSize: 1, Instances: [] }] };

const deleted = () => ssm.commandCalls(DeleteParameterCommand).map((c) => c.args[0].input.Name);

beforeEach(() => {
  ssm.reset();
  autoScaling.reset();
  ssm.on(PutParameterCommand).resolves({ Version: 1 }); // the claim succeeds
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
  ssm.on(DeleteParameterCommand).resolves({});
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(stoppedGroup as never);
  autoScaling.on(SetDesiredCapacityCommand).resolves({});
});

describe('requestStart after a successful claim', () => {
  it('starts, keeping the claim, when every call succeeds', async () => {
    await expect(requestStart(TARGET, REQUEST, 'eu-west-1')).resolves.toMatchObject({ result: 'started' });
    expect(deleted()).toEqual([]);
  });

  it('releases the claim and throws the original error when the group description fails', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(throttling());

    await expect(requestStart(TARGET, REQUEST, 'eu-west-1')).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(deleted()).toEqual(['/gm/mc/session']);
  });

  it('releases the claim and throws the original error when the scaling call fails', async () => {
    autoScaling.on(SetDesiredCapacityCommand).rejects(timeoutError());

    await expect(requestStart(TARGET, REQUEST, 'eu-west-1')).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(deleted()).toEqual(['/gm/mc/session']);
  });

  it('throws ClaimNotReleasedError, with the first error as cause, when the release fails too', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(throttling());
    ssm.on(DeleteParameterCommand).rejects(throttling());

    const attempt = requestStart(TARGET, REQUEST, 'eu-west-1');

    await expect(attempt).rejects.toBeInstanceOf(ClaimNotReleasedError);
    await expect(attempt).rejects.toMatchObject({ name: 'ClaimNotReleasedError', cause: { name: 'ThrottlingException' } });
    await expect(attempt).rejects.toThrow(/starting mc failed \(ThrottlingException: Rate exceeded\) after claiming \/gm\/mc\/session.*a wake after 5 minutes clears it/);
  });
});

describe('requestStart while the warm pool prepares an instance (after a deploy, or a replacement)', () => {
  const withPool = { AutoScalingGroups: [{ ...stoppedGroup.AutoScalingGroups[0], WarmPoolConfiguration: { PoolState: 'Stopped' } }] };

  it('starts at once: with no session, an instance in the pool\'s launch action is being prepared, not saving a world', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(withPool as never);
    autoScaling.on(DescribeWarmPoolCommand).resolves({ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', LifecycleState: 'Warmed:Pending:Wait' }] } as never);

    await expect(requestStart(TARGET, REQUEST, 'eu-west-1')).resolves.toMatchObject({ result: 'started' });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input.DesiredCapacity)).toEqual([1]);
    expect(ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Name)).toEqual(['/gm/mc/session']);
  });

  it('waits for a host on its way back to the pool while its stop\'s session is live', async () => {
    ssm.on(PutParameterCommand, { Name: '/gm/mc/session' }).rejects(awsError('ParameterAlreadyExists'));
    ssm.on(GetParameterCommand, { Name: '/gm/mc/session' }).resolves({ Parameter: { Value: JSON.stringify({ startedAt: '2024-12-31T20:00:00.000Z', source: 'lookup' }) } });
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(withPool as never);
    autoScaling.on(DescribeWarmPoolCommand).resolves({ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1', LifecycleState: 'Warmed:Pending:Wait' }] } as never);

    await expect(requestStart(TARGET, REQUEST, 'eu-west-1')).resolves.toMatchObject({ result: 'deferred' });
    expect(autoScaling.commandCalls(SetDesiredCapacityCommand)).toEqual([]);
    expect(ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Name)).toContain('/gm/mc/pending-wake');
  });
});

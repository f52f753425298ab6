/** Finding the game's host from its Auto Scaling group (src/cli/aws/host.ts), answered by aws-sdk-client-mock. */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { findGame, loadDeployment } from '../../src/cli/aws/deployment';
import { findGameHost } from '../../src/cli/aws/host';
import { awsError, throttling } from '../support/aws-errors';
import { group, INSTANCE_ID, writeTestDeployment, type TestDeployment } from './session-manager/test-deployment';

const autoScaling = mockClient(AutoScalingClient);
let deployment: TestDeployment;
beforeAll(() => {
  deployment = writeTestDeployment();
});
afterAll(() => {
  autoScaling.restore();
  deployment.remove();
});
beforeEach(() => autoScaling.reset());

const target = () => findGame(loadDeployment({}, { GM_CONFIG: deployment.configFile }), 'mc');
const answer = (desired: number, instances: { id: string; state: string }[]) =>
  autoScaling.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: ['gm-mc'] }).resolves({ AutoScalingGroups: [group('gm-mc', desired, instances)] });

describe('findGameHost', () => {
  it.each([
    ['in service', 1, [{ id: INSTANCE_ID, state: 'InService' }], { state: 'running', instanceId: INSTANCE_ID }],
    ['in service while the old host leaves', 1, [{ id: 'i-0old', state: 'Terminating:Wait' }, { id: INSTANCE_ID, state: 'InService' }], { state: 'running', instanceId: INSTANCE_ID }],
    ['launching', 1, [{ id: INSTANCE_ID, state: 'Pending:Wait' }], { state: 'starting', instanceId: INSTANCE_ID, lifecycleState: 'Pending:Wait' }],
    ['asked to start, nothing launched yet', 1, [], { state: 'starting' }],
    ['leaving', 0, [{ id: INSTANCE_ID, state: 'Terminating:Wait' }], { state: 'stopping', instanceId: INSTANCE_ID, lifecycleState: 'Terminating:Wait' }],
    ['stopped', 0, [], { state: 'stopped' }],
  ])('%s', async (_label, desired, instances, expected) => {
    answer(desired, instances);
    expect(await findGameHost(target())).toEqual(expected);
  });

  it('a group AWS does not know: not deployed', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    expect(await findGameHost(target())).toEqual({ state: 'not-deployed' });
  });

  it('asks in the game region for the group of its name', async () => {
    answer(0, []);
    await findGameHost(target());
    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input)).toEqual([{ AutoScalingGroupNames: ['gm-mc'] }]);
    expect(await autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.thisValue.config.region()).toBe('eu-west-1');
  });

  it('lets AWS failures through for the CLI to word (throttled, denied)', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(throttling());
    await expect(findGameHost(target())).rejects.toMatchObject({ name: 'ThrottlingException' });
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(awsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/ana is not authorized to perform: autoscaling:DescribeAutoScalingGroups'));
    await expect(findGameHost(target())).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

/**
 * ECS's times of a start as the watchdog reads them (aws.ts readEcsStartTimes):
 * the running task on the watched instance, found through its container
 * instance; AWS failures reach the caller, which keeps the run going without them.
 */
import { DescribeContainerInstancesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { readEcsStartTimes } from '../../../src/lambdas/watchdog/aws';
import { awsError, throttling } from '../../support/aws-errors';
import { mockAwsClients, resetMocks } from '../../support/aws-mocks';

const mocks = mockAwsClients();
const CLUSTER = 'gm-mc';
const SERVICE = 'gm-mc';
const INSTANCE = 'i-0123456789abcdef0';
const OTHER = 'i-0fedcba9876543210';
const taskArn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/${CLUSTER}/${id}`;
const hostArn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:container-instance/${CLUSTER}/${id}`;
const t = (s: number) => new Date(Date.parse('2025-06-01T18:00:00.000Z') + s * 1000);

beforeEach(() => {
  resetMocks(mocks);
  mocks.ecs.on(ListTasksCommand).resolves({ taskArns: [taskArn('old'), taskArn('new'), taskArn('other')] });
  mocks.ecs.on(DescribeTasksCommand).resolves({
    tasks: [
      // A container that ran earlier on this host and was replaced (it restarted).
      { taskArn: taskArn('old'), containerInstanceArn: hostArn('h1'), lastStatus: 'STOPPED', pullStartedAt: t(30), pullStoppedAt: t(40), startedAt: t(41) },
      { taskArn: taskArn('new'), containerInstanceArn: hostArn('h1'), lastStatus: 'RUNNING', pullStartedAt: t(60), pullStoppedAt: t(62), startedAt: t(63) },
      // A replacement instance overlapping the watched one.
      { taskArn: taskArn('other'), containerInstanceArn: hostArn('h2'), lastStatus: 'RUNNING', pullStartedAt: t(90), pullStoppedAt: t(99), startedAt: t(100) },
    ],
    failures: [],
  });
  mocks.ecs.on(DescribeContainerInstancesCommand).resolves({
    containerInstances: [
      { containerInstanceArn: hostArn('h1'), ec2InstanceId: INSTANCE, registeredAt: t(29) },
      { containerInstanceArn: hostArn('h2'), ec2InstanceId: OTHER, registeredAt: t(89) },
    ],
    failures: [],
  });
});

describe('readEcsStartTimes', () => {
  it("reads the watched instance's registration and its running task's pull and start, asking only for the service's running tasks", async () => {
    await expect(readEcsStartTimes(CLUSTER, SERVICE, INSTANCE)).resolves.toEqual({
      agentRegisteredAt: t(29).toISOString(),
      pullStartedAt: t(60).toISOString(),
      pullStoppedAt: t(62).toISOString(),
      taskStartedAt: t(63).toISOString(),
    });
    expect(mocks.ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'RUNNING' });
    expect(mocks.ecs.commandCalls(DescribeContainerInstancesCommand)[0]!.args[0].input.containerInstances).toEqual([hostArn('h1'), hostArn('h2')]);
  });

  it('nothing when no running task of the service is on the watched instance', async () => {
    await expect(readEcsStartTimes(CLUSTER, SERVICE, 'i-0aaaaaaaaaaaaaaaa')).resolves.toBeUndefined();
    mocks.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    await expect(readEcsStartTimes(CLUSTER, SERVICE, INSTANCE)).resolves.toBeUndefined();
    expect(mocks.ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
  });

  it.each([
    ['throttled (after the client retries)', throttling()],
    ['access denied', awsError('AccessDeniedException', `User: arn:aws:sts::123456789012:assumed-role/gm-mc-watchdog/x is not authorized to perform: ecs:DescribeContainerInstances on resource: ${hostArn('h1')}`)],
    ['cluster not found', awsError('ClusterNotFoundException', 'Cluster not found.')],
  ])('%s: the error reaches the caller (the run keeps going without the times)', async (_what, error) => {
    mocks.ecs.on(DescribeContainerInstancesCommand).rejects(error);
    await expect(readEcsStartTimes(CLUSTER, SERVICE, INSTANCE)).rejects.toThrow(error.message);
  });

  it('no credentials: the error reaches the caller', async () => {
    mocks.ecs.on(ListTasksCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    await expect(readEcsStartTimes(CLUSTER, SERVICE, INSTANCE)).rejects.toThrow('Could not load credentials');
  });
});

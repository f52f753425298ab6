/**
 * endSession, the end of a stop: it starts the game for a wake recorded
 * during the stop even while Auto Scaling still lists the stopped host as
 * terminating (`savedInstanceId`), and it puts the wake back when that start
 * fails half-way, so the caller's retry starts the game instead of losing it.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { endSession } from '../../../src/lambdas/shared/session';
import { awsError } from '../../support/aws-errors';
import { GAME } from '../../support/game';
import { ParameterStore } from '../../support/parameter-store';

const ssm = mockClient(SSMClient);
const autoScaling = mockClient(AutoScalingClient);

const TARGET = GAME;
const NOW = new Date('2025-06-01T18:05:00.000Z');
const WAKE = { recordedAt: '2025-06-01T18:01:00.000Z', source: 'lookup', lookupAt: '2025-06-01T18:01:00.000Z', query: 'mc.example.com A' };

/** Parameters as SSM keeps them. */
let params: ParameterStore;
let desired: number[];

function groupListing(state: string) {
  return { AutoScalingGroups: [{ AutoScalingGroupName: TARGET.asgName, DesiredCapacity: 0, MinSize: 0, MaxSize: 1, Instances: [{ InstanceId: 'i-old', LifecycleState: state }] }] };
}

beforeEach(() => {
  ssm.reset();
  autoScaling.reset();
  params = new ParameterStore({
    [TARGET.sessionParameterName]: JSON.stringify({ startedAt: '2025-06-01T15:49:00.000Z', source: 'lookup' }),
    [TARGET.pendingWakeParameterName]: JSON.stringify(WAKE),
  });
  desired = [];
  ssm.on(GetParameterCommand).callsFake(async (input) => params.getParameter(input));
  ssm.on(PutParameterCommand).callsFake(async (input) => params.putParameter(input));
  ssm.on(DeleteParameterCommand).callsFake(async (input) => params.deleteParameter(input));
  // Right after its lifecycle action completed, the stopped host may still be listed as waiting.
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupListing('Terminating:Wait') as never);
  autoScaling.on(SetDesiredCapacityCommand).callsFake(async (input) => {
    desired.push(input.DesiredCapacity ?? -1);
    return {};
  });
});

describe('endSession', () => {
  it('starts the game for the wake although the saved host is still listed as Terminating:Wait', async () => {
    await expect(endSession(TARGET, NOW, undefined, 'i-old')).resolves.toMatchObject({ result: 'started', session: { source: 'pending-wake', query: 'mc.example.com A' } });
    expect(desired).toEqual([1]);
    expect(params.has(TARGET.pendingWakeParameterName)).toBe(false);
    expect(JSON.parse(params.get(TARGET.sessionParameterName)!)).toMatchObject({ source: 'pending-wake', startedAt: NOW.toISOString() });
  });

  it('without the saved host, takes the listing at its word and waits (another host may still hold the world)', async () => {
    await expect(endSession(TARGET, NOW)).resolves.toMatchObject({ result: 'deferred' });
    expect(desired).toEqual([]);
    expect(params.has(TARGET.pendingWakeParameterName)).toBe(true);
  });

  it('still waits for another host that holds the world', async () => {
    await expect(endSession(TARGET, NOW, undefined, 'i-other')).resolves.toMatchObject({ result: 'deferred' });
    expect(desired).toEqual([]);
  });

  it('puts the wake back when the start fails half-way, so a retry starts the game', async () => {
    let throttled = true;
    autoScaling.on(SetDesiredCapacityCommand).callsFake(async (input) => {
      if (throttled) {
        throttled = false;
        throw awsError('Throttling', 'Rate exceeded');
      }
      desired.push(input.DesiredCapacity ?? -1);
      return {};
    });
    await expect(endSession(TARGET, NOW, undefined, 'i-old')).rejects.toMatchObject({ name: 'Throttling' });
    expect(JSON.parse(params.get(TARGET.pendingWakeParameterName)!)).toEqual(WAKE);
    expect(params.has(TARGET.sessionParameterName)).toBe(false); // the claim was released

    await expect(endSession(TARGET, NOW, undefined, 'i-old')).resolves.toMatchObject({ result: 'started' });
    expect(desired).toEqual([1]);
    expect(params.has(TARGET.pendingWakeParameterName)).toBe(false);
  });

  it('says the wake is lost when it cannot be put back either', async () => {
    autoScaling.on(SetDesiredCapacityCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    ssm.on(PutParameterCommand, { Name: TARGET.pendingWakeParameterName }).rejects(awsError('InternalServerError', 'SSM down', 500));
    await expect(endSession(TARGET, NOW, undefined, 'i-old')).rejects.toThrow(/wake could not be put back in \/gm\/mc\/pending-wake .*it is lost/);
  });

  it('only frees the session when no wake came during the stop', async () => {
    params.delete(TARGET.pendingWakeParameterName);
    await expect(endSession(TARGET, NOW, undefined, 'i-old')).resolves.toBeUndefined();
    expect(params.size).toBe(0);
    expect(desired).toEqual([]);
  });
});

/**
 * The shared stop rule (src/lambdas/shared/stop.ts) the watchdog, the
 * failsafe and `gm stop` all use: scale to 0 first, then record when and why
 * in the watchdog state of the instance being stopped — and only of that
 * instance; a failed record never undoes or fails the stop.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { requestStop } from '../../../src/lambdas/shared/stop';
import { throttling } from '../../support/aws-errors';
import { INSTANCE, MockGame, NAMES, REGION } from '../../cli/game-status/mock-game';

const TARGET = { asgName: NAMES.asg, stateParameterName: NAMES.state };
const NOW = new Date('2026-11-30T10:00:00.000Z');
const STATE = { instanceId: INSTANCE, launchedAt: '2026-11-30T09:00:00.000Z', readyAt: '2026-11-30T09:01:00.000Z', everJoined: true, consecutiveProbeErrors: 0, maxHoursAlerted: false };

let aws: MockGame;
beforeEach(() => {
  aws = new MockGame();
  aws.install();
  aws.group = { desired: 1, instances: [{ id: INSTANCE, state: 'InService' }] };
  aws.parameters.set(NAMES.state, JSON.stringify(STATE));
});
afterAll(() => Object.values(aws.mocks).forEach((m) => m.restore()));

describe('requestStop', () => {
  it('scales to 0 and records the stop and its reason in the state of the instance it stops', async () => {
    await expect(requestStop(TARGET, 'manual', NOW, REGION)).resolves.toMatchObject({ result: 'stopping', recorded: true });

    expect(aws.desiredSet).toEqual([0]);
    expect(aws.state()).toEqual({ ...STATE, stopRequestedAt: NOW.toISOString(), stopReason: 'manual' });
  });

  it("leaves a state that belongs to another instance alone (it would date another host's stop)", async () => {
    aws.parameters.set(NAMES.state, JSON.stringify({ ...STATE, instanceId: 'i-0bbbbbbbbbbbbbbb2' }));

    const outcome = await requestStop(TARGET, 'failsafe', NOW, REGION);

    expect(outcome).toMatchObject({ result: 'stopping', recorded: false, problem: expect.stringContaining('belongs to instance i-0bbbbbbbbbbbbbbb2') });
    expect(aws.desiredSet).toEqual([0]);
    expect(aws.state()).not.toHaveProperty('stopReason');
  });

  it('a record that fails after the scale-down is reported, not thrown: the game stops regardless', async () => {
    aws.failWith('PutParameter', throttling());

    const outcome = await requestStop(TARGET, 'failsafe', NOW, REGION);

    expect(outcome).toMatchObject({ result: 'stopping', recorded: false, problem: 'ThrottlingException: Rate exceeded' });
    expect(aws.group?.desired).toBe(0);
  });

  it('a failed scale-down records nothing (a recorded stop the group never took would look like one a wake overrode)', async () => {
    aws.failWith('SetDesiredCapacity', throttling());

    await expect(requestStop(TARGET, 'manual', NOW, REGION)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(aws.state()).toEqual(STATE);
  });

  it('a group at 0 is not stopped again: already stopping (an instance leaves) or already stopped', async () => {
    aws.group = { desired: 0, instances: [{ id: INSTANCE, state: 'Terminating:Wait' }] };
    await expect(requestStop(TARGET, 'manual', NOW, REGION)).resolves.toMatchObject({ result: 'already-stopping' });
    aws.group = { desired: 0, instances: [] };
    await expect(requestStop(TARGET, 'manual', NOW, REGION)).resolves.toMatchObject({ result: 'already-stopped' });
    aws.group = undefined;
    await expect(requestStop(TARGET, 'manual', NOW, REGION)).resolves.toEqual({ result: 'missing' });

    expect(aws.desiredSet).toEqual([]);
    expect(aws.state()).toEqual(STATE);
  });

  it("the caller's own state (the watchdog's save) is written as given, after the scale-down", async () => {
    const decided = { ...STATE, players: 0, stopRequestedAt: NOW.toISOString(), stopReason: 'idle' as const };

    await requestStop(TARGET, 'idle', NOW, REGION, { group: { desiredCapacity: 1, instances: [{ instanceId: INSTANCE, lifecycleState: 'InService' }] }, state: decided });

    expect(aws.state()).toEqual(decided);
    expect(aws.desiredSet).toEqual([0]);
    // What the caller read is not read again.
    expect(aws.mocks.autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(0);
    expect(aws.mocks.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it("a failed write of the caller's own state is the caller's failed save: thrown, after the scale-down", async () => {
    aws.failWith('PutParameter', throttling());
    const decided = { ...STATE, stopRequestedAt: NOW.toISOString(), stopReason: 'idle' as const };

    await expect(requestStop(TARGET, 'idle', NOW, REGION, { state: decided })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(aws.group?.desired).toBe(0);
  });
});

import {
  classify,
  formatDuration,
  isServingInGroup,
  recordChanges,
  servingSince,
  shouldRestorePlaceholder,
  spotMessage,
  stoppedMessage,
} from '../../../src/lambdas/instance-hook/logic';
import { checkRuntimeGame } from '../../../src/lambdas/instance-hook/runtime-game';
import { EVENT_TIME, GAME, lifecycleEvent, spotEvent } from './fixtures';

describe('classify', () => {
  const action = (instanceId: string, hook: string) => ({ groupName: GAME.asgName, hookName: hook, token: `token-${instanceId}`, instanceId });

  it('reads a launch into the group', () => {
    expect(classify(lifecycleEvent({ transition: 'launch', instanceId: 'i-1' }), GAME)).toEqual({
      kind: 'launch',
      instanceId: 'i-1',
      action: action('i-1', 'gm-mc-launch'),
      time: EVENT_TIME,
    });
  });

  it('reads a termination out of the group', () => {
    expect(classify(lifecycleEvent({ transition: 'terminate', instanceId: 'i-1' }), GAME)).toEqual({
      kind: 'terminate',
      instanceId: 'i-1',
      action: action('i-1', 'gm-mc-terminate'),
      time: EVENT_TIME,
    });
  });

  it.each([
    ['launch', 'EC2', 'WarmPool'],
    ['terminate', 'WarmPool', 'EC2'],
  ] as const)('treats %s from %s to %s as a warm-pool transition', (transition, origin, destination) => {
    expect(classify(lifecycleEvent({ transition, instanceId: 'i-1', origin, destination }), GAME)).toMatchObject({ kind: 'warm-pool', instanceId: 'i-1' });
  });

  it('treats a warm instance entering the group as a launch (it gets a new public address)', () => {
    expect(classify(lifecycleEvent({ transition: 'launch', instanceId: 'i-1', origin: 'WarmPool', destination: 'AutoScalingGroup' }), GAME).kind).toBe('launch');
  });

  it('treats an instance going back to the warm pool as a stop (the game ran there)', () => {
    expect(classify(lifecycleEvent({ transition: 'terminate', instanceId: 'i-1', origin: 'AutoScalingGroup', destination: 'WarmPool' }), GAME).kind).toBe(
      'terminate',
    );
  });

  it("ignores another game's group", () => {
    expect(classify(lifecycleEvent({ transition: 'launch', instanceId: 'i-1', group: 'gm-valheim-asg' }), GAME)).toMatchObject({
      kind: 'ignore',
      instanceId: 'i-1',
    });
  });

  it('falls back to the transition when Origin/Destination are absent', () => {
    const event = lifecycleEvent({ transition: 'terminate', instanceId: 'i-1' });
    const detail = event.detail as Record<string, unknown>;
    delete detail.Origin;
    delete detail.Destination;
    expect(classify(event, GAME).kind).toBe('terminate');
  });

  it('reads a spot interruption warning', () => {
    expect(classify(spotEvent('i-9'), GAME)).toEqual({ kind: 'spot', instanceId: 'i-9', time: EVENT_TIME });
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'launch'],
    ['an array', []],
    ['an empty object', {}],
    ['no detail', { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance-launch Lifecycle Action' }],
    ['another source', { source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: {} }],
    ['a spot warning without instance-id', { source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning', detail: {} }],
  ])('ignores %s', (_label, event) => {
    expect(classify(event, GAME).kind).toBe('ignore');
  });

  it('ignores a lifecycle event without a token (it could not be completed anyway)', () => {
    const event = lifecycleEvent({ transition: 'launch', instanceId: 'i-1' });
    delete (event.detail as Record<string, unknown>).LifecycleActionToken;
    expect(classify(event, GAME)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('LifecycleActionToken') });
  });

  it('ignores an unknown transition', () => {
    const event = lifecycleEvent({ transition: 'launch', instanceId: 'i-1' });
    (event.detail as Record<string, unknown>).LifecycleTransition = 'autoscaling:TEST_NOTIFICATION';
    expect(classify(event, GAME).kind).toBe('ignore');
  });
});

describe('group state', () => {
  const group = [
    { instanceId: 'i-old', lifecycleState: 'Terminating:Wait' },
    { instanceId: 'i-new', lifecycleState: 'Pending:Wait' },
  ];

  it.each(['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService'])('%s counts as serving', (state) => {
    expect(isServingInGroup([{ instanceId: 'i-1', lifecycleState: state }], 'i-1')).toBe(true);
    expect(shouldRestorePlaceholder([{ instanceId: 'i-1', lifecycleState: state }], 'i-2')).toBe(false);
  });

  it.each(['Terminating', 'Terminating:Wait', 'Terminated', 'Standby', 'Warmed:Stopped'])('%s does not count as serving', (state) => {
    expect(isServingInGroup([{ instanceId: 'i-1', lifecycleState: state }], 'i-1')).toBe(false);
  });

  it('an instance missing from the group is not serving', () => {
    expect(isServingInGroup(group, 'i-gone')).toBe(false);
  });

  it('restores the placeholder only when no other instance serves', () => {
    expect(shouldRestorePlaceholder(group, 'i-old')).toBe(false);
    expect(shouldRestorePlaceholder([group[0]!], 'i-old')).toBe(true);
    expect(shouldRestorePlaceholder([], 'i-old')).toBe(true);
    // The terminating instance's own state never blocks its stop.
    expect(shouldRestorePlaceholder([{ instanceId: 'i-old', lifecycleState: 'InService' }], 'i-old')).toBe(true);
  });
});

describe('recordChanges', () => {
  it('upserts A and AAAA in one batch', () => {
    expect(recordChanges('mc.example.com', '203.0.113.7', '2001:db8:5::7', 30, 'why')).toEqual({
      Comment: 'why',
      Changes: [
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'A', TTL: 30, ResourceRecords: [{ Value: '203.0.113.7' }] } },
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'mc.example.com', Type: 'AAAA', TTL: 30, ResourceRecords: [{ Value: '2001:db8:5::7' }] } },
      ],
    });
  });

  it('leaves out what is not known', () => {
    expect(recordChanges('mc.example.com', '203.0.113.7', undefined, 30).Changes).toHaveLength(1);
    expect(recordChanges('mc.example.com', undefined, undefined, 30)).toEqual({ Changes: [] });
  });
});

describe('durations and notices', () => {
  const min = 60_000;
  it.each([
    [7 * min, '7 min'],
    [130 * min, '2 h 10 min'],
    [120 * min, '2 h'],
    [7 * min + 29_000, '7 min'],
    [59 * min + 40_000, '1 h'],
    [10_000, '< 1 min'],
    [-5, '< 1 min'],
    [Number.NaN, '< 1 min'],
  ])('formats %d ms as "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('words the notices', () => {
    expect(stoppedMessage('mc.example.com', 130 * min)).toBe('stopped mc.example.com after 2 h 10 min');
    expect(stoppedMessage('mc.example.com', undefined)).toBe('stopped mc.example.com');
    expect(spotMessage('mc.example.com')).toBe('spot interruption: mc.example.com is saving and stopping');
  });

  it("takes the recorded launch time when the state is this instance's, else EC2's", () => {
    const launchTime = new Date('2025-06-01T17:00:00Z');
    expect(servingSince('i-1', { instanceId: 'i-1', launchedAt: EVENT_TIME }, launchTime)).toBe(Date.parse(EVENT_TIME));
    expect(servingSince('i-1', { instanceId: 'i-0', launchedAt: EVENT_TIME }, launchTime)).toBe(launchTime.getTime());
    expect(servingSince('i-1', { instanceId: 'i-1', launchedAt: 'garbage' }, launchTime)).toBe(launchTime.getTime());
    expect(servingSince('i-1', undefined, undefined)).toBeUndefined();
  });
});

describe('checkRuntimeGame', () => {
  it('accepts a complete game', () => {
    expect(checkRuntimeGame(GAME)).toBe(GAME);
  });

  it('names every missing field', () => {
    const { asgName: _asg, ipv6: _ipv6, ...partial } = GAME;
    expect(() => checkRuntimeGame(partial)).toThrow(/GM_GAME lacks asgName \(string\), ipv6 \(boolean\)/);
    expect(() => checkRuntimeGame(null)).toThrow(/GM_GAME lacks id/);
  });
});

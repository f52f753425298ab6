import type { GameInstance } from '../../../src/lambdas/watchdog/instance';
import { resumeIfRestarted, stateFor } from '../../../src/lambdas/watchdog/state';
import type { WatchdogRecord } from '../../../src/lambdas/watchdog/watchdog-record';

const INSTANCE: GameInstance = { instanceId: 'i-1', lifecycleState: 'InService', launchTime: new Date('2025-01-01T12:00:00Z') };
const STORED: WatchdogRecord = {
  instanceId: 'i-1',
  launchedAt: '2025-01-01T11:59:50.000Z',
  readyAt: '2025-01-01T12:02:00.000Z',
  everJoined: true,
  consecutiveProbeErrors: 0,
  maxHoursAlerted: false,
};

describe('stored watchdog state', () => {
  it('is used when it belongs to the running instance', () => {
    expect(stateFor(JSON.stringify(STORED), INSTANCE)).toEqual({ state: STORED });
  });

  it('is stale when a warm-pool instance with the same id started again after it was written', () => {
    const restarted = { ...INSTANCE, launchTime: new Date('2025-01-02T09:00:00Z') };
    const loaded = stateFor(JSON.stringify(STORED), restarted);

    expect(loaded.freshBecause).toMatch(/before the instance last started/);
    expect(loaded.state).toEqual({ instanceId: 'i-1', launchedAt: '2025-01-02T09:00:00.000Z', everJoined: false, consecutiveProbeErrors: 0, maxHoursAlerted: false });
  });

  it('a decided stop is dropped, and the idle clock restarted, once the group is raised again', () => {
    const stopped: WatchdogRecord = { ...STORED, stopRequestedAt: '2025-01-01T13:00:00.000Z', stopReason: 'idle' };
    const now = new Date('2025-01-01T13:05:00Z');

    expect(resumeIfRestarted(stopped, 0, now)).toBe(stopped);
    const resumed = resumeIfRestarted(stopped, 1, now);
    expect(resumed).toEqual({ ...STORED, idleSince: now.toISOString() });
  });
});

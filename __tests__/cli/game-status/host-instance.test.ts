/**
 * Which instance `gm status` describes: the host as `gm shell` and `gm files`
 * find it (one rule, src/cli/aws/host.ts), plus a fallback of its own so an
 * instance in an odd state still shows.
 */
import { hostOfGroup } from '../../../src/cli/aws/host';
import { hostInstanceId } from '../../../src/cli/game-status/read';
import type { GroupSnapshot } from '../../../src/runtime/session';

const group = (desiredCapacity: number, instances: [id: string, state: string][]): GroupSnapshot => ({
  desiredCapacity,
  instances: instances.map(([instanceId, lifecycleState]) => ({ instanceId, lifecycleState })),
});

describe('the host instance gm status describes', () => {
  it.each([
    ['the InService instance, even listed after one leaving', group(1, [['i-0old', 'Terminating:Wait'], ['i-0new', 'InService']]), 'i-0new', 'running'],
    ['the launching instance while the old one leaves', group(1, [['i-0old', 'Terminating'], ['i-0new', 'Pending:Wait']]), 'i-0new', 'starting'],
    ['the instance on its way out', group(0, [['i-0old', 'Terminating:Wait']]), 'i-0old', 'stopping'],
  ])('%s: the same instance as the shell and files commands', (_label, g, id, state) => {
    expect(hostInstanceId(g)).toBe(id);
    expect(hostOfGroup(g)).toMatchObject({ state, instanceId: id });
  });

  it('an instance in a state the host lookup does not name (standby) still shows', () => {
    const g = group(1, [['i-0standby', 'Standby']]);
    expect(hostOfGroup(g)).toEqual({ state: 'starting' });
    expect(hostInstanceId(g)).toBe('i-0standby');
  });

  it('no instance, or no group: none', () => {
    expect(hostInstanceId(group(1, []))).toBeUndefined();
    expect(hostInstanceId(group(0, []))).toBeUndefined();
    expect(hostInstanceId(undefined)).toBeUndefined();
    expect(hostOfGroup(undefined)).toEqual({ state: 'not-deployed' });
  });
});

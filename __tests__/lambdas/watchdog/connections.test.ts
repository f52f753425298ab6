/** The connections probe's polling of SSM, with a simulated clock so the deadline costs no real time. */
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { portsArgument, probeByConnections, type PollOptions } from '../../../src/lambdas/watchdog/probes/connections';

const ssm = mockClient(SSMClient);
// mockClient stubs every SSMClient's send, this one's too.
const client = new SSMClient({ region: 'eu-west-1' });
const TARGET = { instanceId: 'i-0123456789abcdef0', documentName: 'gm-count-connections', ports: [{ port: 2456, protocol: 'udp' as const }, { port: 2457, protocol: 'udp' as const }] };

/** Poll options whose sleep advances a fake clock instead of waiting. */
function simulatedPoll(): PollOptions & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    deadlineMs: 25_000,
    intervalMs: 1_000,
    clock: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

beforeEach(() => {
  ssm.reset();
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
});

describe('connections probe', () => {
  it('passes the game ports as the script argument', () => {
    expect(portsArgument([{ port: 25565, protocol: 'tcp' }, { port: 19132, protocol: 'udp' }])).toBe('tcp:25565 udp:19132');
  });

  it('gives up at the deadline when the command never finishes', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress', StatusDetails: 'InProgress' });
    const poll = simulatedPoll();

    const result = await probeByConnections(client, TARGET, poll);

    expect(result).toEqual({ ok: false, error: expect.stringMatching(/ended TimedOut: still InProgress .* after 2\d s/) });
    expect(poll.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(25_000);
    expect(ssm.commandCalls(GetCommandInvocationCommand).length).toBeGreaterThan(20);
  });

  it('a cancelled command is a probe error', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Cancelled', StatusDetails: 'Cancelled' });

    await expect(probeByConnections(client, TARGET, simulatedPoll())).resolves.toEqual({ ok: false, error: expect.stringContaining('ended Cancelled') });
  });

  it('an unexpected GetCommandInvocation error is a probe error, not a throw', async () => {
    ssm.on(GetCommandInvocationCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    await expect(probeByConnections(client, TARGET, simulatedPoll())).resolves.toEqual({ ok: false, error: 'AccessDeniedException: User is not authorized' });
  });

  it('exit 3 of the script (the game is not listening yet) is a probe error, never 0 players', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Failed',
      ResponseCode: 3,
      StandardOutputContent: '',
      StandardErrorContent: 'count-connections.sh: the game is not listening yet: nothing listens on udp:2456 (no container publishes it)\n',
      StatusDetails: 'Failed',
    });

    await expect(probeByConnections(client, TARGET, simulatedPoll())).resolves.toEqual({ ok: false, error: 'game is not listening yet' });
  });

  it('another failing exit status reports the script\'s error output', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Failed',
      ResponseCode: 1,
      StandardErrorContent: 'count-connections.sh: cannot count UDP players: no connection-tracking table (...); install conntrack-tools\n',
      StatusDetails: 'Failed',
    });

    await expect(probeByConnections(client, TARGET, simulatedPoll())).resolves.toEqual({
      ok: false,
      error: expect.stringMatching(/^count-connections on i-0123456789abcdef0 ended Failed: .*install conntrack-tools$/),
    });
  });

  it('counts the players printed by a successful command and sends the ports', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', StandardOutputContent: '4\n' });

    await expect(probeByConnections(client, TARGET, simulatedPoll())).resolves.toEqual({ ok: true, players: 4, latencyMs: 0 });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input.Parameters).toEqual({ ports: ['udp:2456 udp:2457'] });
  });
});

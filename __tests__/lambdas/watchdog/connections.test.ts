/** The connections probe's polling of SSM, with a simulated clock so the deadline costs no real time. */
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { COMMAND_DEADLINE_MS, portsArgument, probeByConnections } from '../../../src/lambdas/watchdog/probes/connections';
import { mocks } from './support';
import { awsError, throttling } from '../../support/aws-errors';
import { testClock } from '../../support/clock';
import { GAME } from '../../support/game';

const ssm = mocks.ssm;
const TARGET = { instanceId: 'i-0123456789abcdef0', documentName: GAME.connectionsDocumentName, ports: [{ port: 2456, protocol: 'udp' as const }, { port: 2457, protocol: 'udp' as const }] };

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
    const clock = testClock(0);

    const result = await probeByConnections(TARGET, clock);

    expect(result).toEqual({ ok: false, error: expect.stringMatching(/ended TimedOut: still InProgress .* after 25 s/) });
    expect(clock.at).toBe(COMMAND_DEADLINE_MS);
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(26);
  });

  it('waits only as long as the deadline it is given', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress', StatusDetails: 'InProgress' });
    const clock = testClock(0);

    await probeByConnections(TARGET, clock, 6_000);

    expect(clock.at).toBe(6_000);
  });

  it('a throttled GetCommandInvocation is "not yet", not a failure', async () => {
    ssm.on(GetCommandInvocationCommand).rejectsOnce(throttling()).resolves({ Status: 'Success', StandardOutputContent: '1\n' });

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({ ok: true, players: 1, latencyMs: 1000 });
  });

  it('a cancelled command is a probe error', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Cancelled', StatusDetails: 'Cancelled' });

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({ ok: false, error: expect.stringContaining('ended Cancelled') });
  });

  it('an unexpected GetCommandInvocation error is a probe error, not a throw', async () => {
    ssm.on(GetCommandInvocationCommand).rejects(awsError('AccessDeniedException', 'User is not authorized'));

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({ ok: false, error: 'AccessDeniedException: User is not authorized' });
  });

  it('exit 3 of the script (the game is not listening yet) is a probe error, never 0 players', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Failed',
      ResponseCode: 3,
      StandardOutputContent: '',
      StandardErrorContent: 'count-connections.sh: the game is not listening yet: nothing listens on udp:2456 (no container publishes it)\n',
      StatusDetails: 'Failed',
    });

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({ ok: false, error: 'game is not listening yet' });
  });

  it('another failing exit status reports the script\'s error output', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Failed',
      ResponseCode: 1,
      StandardErrorContent: 'count-connections.sh: cannot count UDP players: no connection-tracking table (...); install conntrack-tools\n',
      StatusDetails: 'Failed',
    });

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({
      ok: false,
      error: expect.stringMatching(/^count-connections on i-0123456789abcdef0 ended Failed: .*install conntrack-tools$/),
    });
  });

  it('a SendCommand without a command id is a probe error', async () => {
    ssm.on(SendCommandCommand).resolves({});

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({ ok: false, error: expect.stringContaining('returned no command id') });
  });

  it('counts the players printed by a successful command and sends the ports', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', StandardOutputContent: '4\n' });

    await expect(probeByConnections(TARGET, testClock(0))).resolves.toEqual({ ok: true, players: 4, latencyMs: 0 });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input.Parameters).toEqual({ ports: ['udp:2456 udp:2457'] });
  });
});

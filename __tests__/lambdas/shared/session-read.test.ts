/**
 * readSession needs only the session parameter's name (the watchdog, whose
 * environment has no pending-wake parameter, reads the session for the
 * player's lookup time), and treats a missing or unreadable session as none.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { readSession } from '../../../src/lambdas/shared/session';
import { awsError, throttling } from '../../support/aws-errors';

const ssm = mockClient(SSMClient);
const SESSION = { startedAt: '2025-06-01T18:00:01.000Z', source: 'lookup', lookupAt: '2025-06-01T18:00:00.000Z', query: 'mc.example.com A' };

beforeEach(() => ssm.reset());

describe('readSession', () => {
  it('reads the session from its parameter name alone', async () => {
    ssm.on(GetParameterCommand, { Name: '/gm/mc/session' }).resolves({ Parameter: { Value: JSON.stringify(SESSION) } });

    await expect(readSession({ sessionParameterName: '/gm/mc/session' })).resolves.toEqual(SESSION);
  });

  it.each([
    ['missing', () => ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'))],
    ['not JSON', () => ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"startedAt":' } })],
    ['of the wrong shape', () => ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ ...SESSION, source: 'magic' }) } })],
  ])('is none when %s', async (_label, given) => {
    given();

    await expect(readSession({ sessionParameterName: '/gm/mc/session' })).resolves.toBeUndefined();
  });

  it('lets other errors through (the caller decides what a failed read means)', async () => {
    ssm.on(GetParameterCommand).rejects(throttling());

    await expect(readSession({ sessionParameterName: '/gm/mc/session' })).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

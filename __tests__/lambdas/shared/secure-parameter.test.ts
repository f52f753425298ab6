import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { readParameter, readSecureParameter } from '../../../src/lambdas/shared/parameters';
import { awsError, throttling } from '../../support/aws-errors';

const ssm = mockClient(SSMClient);

beforeEach(() => ssm.reset());

describe('readSecureParameter', () => {
  it('asks SSM to decrypt, and returns the value', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/gm/discord', Type: 'SecureString', Value: 'https://discord.com/api/webhooks/1/t' } });

    await expect(readSecureParameter('/gm/discord')).resolves.toBe('https://discord.com/api/webhooks/1/t');
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/gm/discord', WithDecryption: true });
  });

  it('a missing parameter is undefined; other errors are thrown', async () => {
    ssm.on(GetParameterCommand).rejectsOnce(awsError('ParameterNotFound')).rejects(throttling());

    await expect(readSecureParameter('/gm/discord')).resolves.toBeUndefined();
    await expect(readSecureParameter('/gm/discord')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('readParameter still reads without decryption', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{}' } });

    await expect(readParameter('/gm/mc/watchdog-state')).resolves.toBe('{}');
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/gm/mc/watchdog-state' });
  });
});

import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createParameter } from '../../../src/lambdas/shared/parameters';
import { awsError, timeoutError } from '../../support/aws-errors';

const ssm = mockClient(SSMClient);

beforeEach(() => ssm.reset());

describe('createParameter: a claim is ours exactly when the stored value is the one we wrote', () => {
  it('created: ours', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await expect(createParameter('/gm/mc/session', 'ours')).resolves.toBe(true);
  });

  it('someone else created it first: not ours', async () => {
    ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists'));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'theirs' } });
    await expect(createParameter('/gm/mc/session', 'ours')).resolves.toBe(false);
  });

  it('an attempt timed out after SSM applied it (the retry then finds it): ours', async () => {
    ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists'));
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'ours' } });
    await expect(createParameter('/gm/mc/session', 'ours')).resolves.toBe(true);
  });

  it('the call timed out and SSM did apply it: ours', async () => {
    ssm.on(PutParameterCommand).rejects(timeoutError());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'ours' } });
    await expect(createParameter('/gm/mc/session', 'ours')).resolves.toBe(true);
  });

  it('the call timed out and SSM did not apply it: the error stands, so the caller retries', async () => {
    ssm.on(PutParameterCommand).rejects(timeoutError());
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    await expect(createParameter('/gm/mc/session', 'ours')).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('access denied is not read around', async () => {
    ssm.on(PutParameterCommand).rejects(awsError('AccessDeniedException'));
    await expect(createParameter('/gm/mc/session', 'ours')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});

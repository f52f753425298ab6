import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { isDryRun, withDryRun } from '../../../src/lambdas/shared/aws-clients';

describe('dry run', () => {
  it('is on only for GM_DRY_RUN=1 or true', () => {
    expect(isDryRun({ GM_DRY_RUN: '1' })).toBe(true);
    expect(isDryRun({ GM_DRY_RUN: 'true' })).toBe(true);
    expect(isDryRun({ GM_DRY_RUN: '0' })).toBe(false);
    expect(isDryRun({})).toBe(false);
  });

  it('prints writes instead of sending them, and lets reads through', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const client = withDryRun(new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1, endpoint: 'http://127.0.0.1:9' }), { GM_DRY_RUN: '1' });
    await client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: 'hello' }));
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^\[dry-run\] .*PublishCommand .*"Message":"hello"/));
    // A read goes out for real: here to a closed port, so it fails.
    await expect(client.send(new ListTopicsCommand({}))).rejects.toThrow();
    log.mockRestore();
  });

  it('leaves the client alone when dry run is off', async () => {
    const client = withDryRun(new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1, endpoint: 'http://127.0.0.1:9' }), {});
    await expect(client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: 'hello' }))).rejects.toThrow();
  });
});

describe('lazyClient', () => {
  it('makes the client once, on first use, with the shared retry budget', async () => {
    const { lazyClient, MAX_ATTEMPTS } = await import('../../../src/lambdas/shared/aws-clients');
    const made: { maxAttempts: number }[] = [];
    const client = lazyClient((config) => {
      made.push(config);
      return new SNSClient({ ...config, region: 'eu-west-1' });
    });
    expect(made).toEqual([]);
    const first = client();
    expect(client()).toBe(first);
    expect(made).toEqual([{ maxAttempts: MAX_ATTEMPTS }]);
    expect(MAX_ATTEMPTS).toBe(5);
  });
});

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
    const { lazyClient, MAX_ATTEMPTS, REQUEST_TIMEOUT_MS, CONNECTION_TIMEOUT_MS } = await import('../../../src/lambdas/shared/aws-clients');
    const made: { maxAttempts: number; region?: string }[] = [];
    const client = lazyClient((config) => {
      made.push(config);
      return new SNSClient({ ...config, region: 'eu-west-1' });
    });
    expect(made).toEqual([]);
    const first = client();
    expect(client()).toBe(first);
    expect(made).toEqual([
      { maxAttempts: MAX_ATTEMPTS, requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true } },
    ]);
    expect(MAX_ATTEMPTS).toBe(5);
  });

  it('keeps one client per region: the waker calls the game region from us-east-1', async () => {
    const { lazyClient } = await import('../../../src/lambdas/shared/aws-clients');
    const made: (string | undefined)[] = [];
    const client = lazyClient((config) => {
      made.push(config.region);
      return new SNSClient({ ...config, region: config.region ?? 'us-east-1' });
    });
    const home = client();
    const away = client('eu-west-1');
    expect(away).not.toBe(home);
    expect(client('eu-west-1')).toBe(away);
    expect(await away.config.region()).toBe('eu-west-1');
    expect(made).toEqual([undefined, 'eu-west-1']);
  });

  it('gives up on an attempt that hangs instead of waiting for the function timeout', async () => {
    const { createServer } = await import('node:http');
    const { lazyClient } = await import('../../../src/lambdas/shared/aws-clients');
    // A server that accepts and never answers.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = lazyClient((config) =>
      new SNSClient({
        ...config,
        maxAttempts: 1,
        requestHandler: { ...config.requestHandler, requestTimeout: 200 },
        region: 'eu-west-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
    );
    try {
      await expect(client().send(new ListTopicsCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

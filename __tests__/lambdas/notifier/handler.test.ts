import '../../support/powertools-env';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler, handler as productionHandler } from '../../../src/lambdas/notifier/handler';
import { capturePowertools } from '../../support/powertools-output';
import { ENV, frozenClock, PARAMETER, parameterHolds, snsEvent, ssm, testNotifier, webhookServer } from './support';

const server = webhookServer();
const output = capturePowertools();

beforeEach(() => {
  process.env.GM_DISCORD_PARAMETER = PARAMETER;
});

describe('notifier', () => {
  it('posts the subject and message as Discord JSON to the webhook, and publishes no metric', async () => {
    parameterHolds(server.url());

    await testNotifier(server)(snsEvent({ subject: 'mc.example.com is ready', message: 'ready in 95 s' }));

    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: PARAMETER, WithDecryption: true });
    expect(server.received).toEqual([
      {
        method: 'POST',
        path: '/api/webhooks/123456789/secret-token',
        contentType: 'application/json',
        body: { content: '**mc.example.com is ready**\nready in 95 s', allowed_mentions: { parse: [] } },
      },
    ]);
    expect(output.metrics()).toEqual([]);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'alert posted to Discord', subject: 'mc.example.com is ready' }));
  });

  it('posts every record, reading the parameter once for the life of the container', async () => {
    parameterHolds(server.url());
    const notify = testNotifier(server);

    await notify(snsEvent({ subject: 'a', message: '1' }, { message: '2' }));
    await notify(snsEvent({ subject: 'c', message: '3' }));

    expect(server.contents()).toEqual(['**a**\n1', '2', '**c**\n3']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('truncates a long message to 2000 characters', async () => {
    parameterHolds(server.url());

    await testNotifier(server)(snsEvent({ subject: 'log', message: 'z'.repeat(4000) }));

    expect(Array.from(server.contents()[0] ?? '')).toHaveLength(2000);
  });

  it('server answers 500 → no throw, failure counted and logged without the secret token', async () => {
    parameterHolds(server.url());
    server.answer('fail');

    await expect(testNotifier(server)(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(server.received).toHaveLength(1);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('HTTP 500'), status: 500 }));
    // The webhook URL holds a secret token; it must not reach the logs.
    expect(JSON.stringify(output.logs())).not.toContain('secret-token');
  });

  it('server never answers → times out, no throw, failure counted', async () => {
    parameterHolds(server.url());
    server.answer('hang');

    // Short enough to keep the test quick, long enough for the request to reach the server first.
    await expect(testNotifier(server, { timeoutMs: 1000 })(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(server.received).toHaveLength(1);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('did not answer within 1000 ms') }));
  });

  it('rate-limited once → waits what Discord asks, posts again, no failure', async () => {
    parameterHolds(server.url());
    server.answer('rate-limited', 'ok');
    const clock = frozenClock();

    await testNotifier(server, { clock })(snsEvent({ message: 'm' }));

    expect(clock.sleeps).toEqual([250]);
    expect(server.contents()).toEqual(['m', 'm']);
    expect(output.metric('WebhookFailures')).toBe(0);
    expect(output.metric('WebhookRateLimited')).toBe(1);
  });

  it('rate-limited for longer than the function can wait → no wait, failure counted', async () => {
    parameterHolds(server.url());
    server.answer('rate-limited-long');
    const clock = frozenClock();

    await testNotifier(server, { clock })(snsEvent({ message: 'm' }));

    expect(clock.sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
    expect(output.metric('WebhookFailures')).toBe(1);
  });

  it('the deployed handler refuses anything but a Discord webhook URL', async () => {
    parameterHolds(server.url()); // a local URL: fine for the test notifier, not for the real one

    await expect(productionHandler(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(server.received).toHaveLength(0);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('must hold a Discord webhook URL') }));
  });

  it('nothing listening → no throw, failure counted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    parameterHolds(`${deadBase}api/webhooks/1/t`);

    await expect(createHandler({ env: ENV, extraAllowedPrefix: deadBase, timeoutMs: 1000 })(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(output.metric('WebhookFailures')).toBe(1);
  });

  it('a deleted webhook (404) makes the next alert read the parameter again', async () => {
    parameterHolds(server.url());
    server.answer('not-found');
    const notify = testNotifier(server);

    await notify(snsEvent({ message: '1' }));
    server.answer('ok');
    await notify(snsEvent({ message: '2' }));

    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(server.contents()).toEqual(['1', '2']);
  });

  it('missing GM_DISCORD_PARAMETER → no throw, explained, counted', async () => {
    await expect(createHandler({ env: {} })(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('GM_DISCORD_PARAMETER is not set') }));
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(ssm.calls()).toHaveLength(0);
  });
});

import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifierHandler, handler as productionHandler } from '../../../src/lambdas/notifier/handler';
import { logger } from '../../../src/lambdas/notifier/telemetry';

const PARAMETER = '/gm/discord-webhook';
const ssm = mockClient(SSMClient);

// ------------------------------------------------------------ a real local webhook server

type Behaviour = 'ok' | 'fail' | 'not-found' | 'hang';

interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

let server: Server;
let baseUrl: string;
let behaviour: Behaviour;
let received: ReceivedRequest[];
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], body: JSON.parse(text) as unknown });
      if (behaviour === 'ok') res.writeHead(204).end();
      else if (behaviour === 'fail') res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"internal error"}');
      else if (behaviour === 'not-found') res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Unknown Webhook","code":10015}');
      else hanging.push(res); // never answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  logger.setLogLevel('SILENT');
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// ------------------------------------------------------------ building events, reading output

let stdoutLines: string[];

beforeEach(() => {
  ssm.reset();
  behaviour = 'ok';
  received = [];
  process.env.GM_DISCORD_PARAMETER = PARAMETER;
  stdoutLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdoutLines.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

function webhookUrl(): string {
  return `${baseUrl}api/webhooks/123456789/secret-token`;
}

function parameterHolds(value: string): void {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: value } });
}

/** A notifier that accepts the local server (with the production timeout unless a test needs a short one). */
function testNotifier(timeoutMs?: number): ReturnType<typeof createNotifierHandler> {
  return createNotifierHandler({ extraAllowedPrefix: baseUrl, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}

function snsEvent(...messages: { subject?: string | null; message: string }[]): SNSEvent {
  return {
    Records: messages.map(
      ({ subject, message }, i) =>
        ({
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts:sub',
          Sns: {
            Type: 'Notification',
            MessageId: `m-${i}`,
            TopicArn: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts',
            Subject: subject ?? null,
            Message: message,
            Timestamp: new Date().toISOString(),
            SignatureVersion: '1',
            Signature: 'sig',
            SigningCertUrl: 'https://sns.example/cert.pem',
            UnsubscribeUrl: 'https://sns.example/unsubscribe',
            MessageAttributes: {},
          },
        }) as SNSEventRecord,
    ),
  };
}

function webhookFailures(): number {
  return stdoutLines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as { WebhookFailures?: number })
    .reduce((sum, m) => sum + (m.WebhookFailures ?? 0), 0);
}

// ------------------------------------------------------------ tests

describe('notifier', () => {
  it('posts the subject and message as Discord JSON to the webhook', async () => {
    parameterHolds(webhookUrl());

    await testNotifier()(snsEvent({ subject: 'mc.example.com is ready', message: 'ready in 95 s' }));

    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: PARAMETER, WithDecryption: true });
    expect(received).toEqual([
      {
        method: 'POST',
        path: '/api/webhooks/123456789/secret-token',
        contentType: 'application/json',
        body: { content: '**mc.example.com is ready**\nready in 95 s', allowed_mentions: { parse: [] } },
      },
    ]);
    expect(webhookFailures()).toBe(0);
    expect(stdoutLines.some((l) => l.includes('"_aws"'))).toBe(false);
  });

  it('posts every record, reading the parameter once for the life of the container', async () => {
    parameterHolds(webhookUrl());
    const notify = testNotifier();

    await notify(snsEvent({ subject: 'a', message: '1' }, { message: '2' }));
    await notify(snsEvent({ subject: 'c', message: '3' }));

    expect(received.map((r) => (r.body as { content: string }).content)).toEqual(['**a**\n1', '2', '**c**\n3']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('truncates a long message to 2000 characters', async () => {
    parameterHolds(webhookUrl());

    await testNotifier()(snsEvent({ subject: 'log', message: 'z'.repeat(4000) }));

    const content = (received[0]?.body as { content: string }).content;
    expect(Array.from(content)).toHaveLength(2000);
  });

  it('server answers 500 → no throw, failure counted and logged', async () => {
    parameterHolds(webhookUrl());
    behaviour = 'fail';
    const error = jest.spyOn(logger, 'error');

    await expect(testNotifier()(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(received).toHaveLength(1);
    expect(webhookFailures()).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('HTTP 500'), expect.anything());
    // The webhook URL holds a secret token; it must not reach the logs.
    expect(JSON.stringify(error.mock.calls)).not.toContain('secret-token');
  });

  it('server never answers → times out, no throw, failure counted', async () => {
    parameterHolds(webhookUrl());
    behaviour = 'hang';
    const error = jest.spyOn(logger, 'error');

    // Short enough to keep the test quick, long enough for the request to reach the server first.
    await expect(testNotifier(1000)(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(received).toHaveLength(1);
    expect(webhookFailures()).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('did not answer within 1000 ms'), expect.anything());
  });

  it('missing parameter → no throw, no request, failure counted and explained', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));
    const error = jest.spyOn(logger, 'error');

    await expect(testNotifier()(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(received).toHaveLength(0);
    expect(webhookFailures()).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining(`SSM parameter ${PARAMETER} not found`));
  });

  it('SSM throttled → no throw, failure counted, and the next alert tries the parameter again', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: webhookUrl() } });
    const notify = testNotifier();

    await expect(notify(snsEvent({ message: 'first' }))).resolves.toBeUndefined();
    await notify(snsEvent({ message: 'second' }));

    expect(webhookFailures()).toBe(1);
    expect(received.map((r) => (r.body as { content: string }).content)).toEqual(['second']);
  });

  it('the deployed handler refuses anything but a Discord webhook URL', async () => {
    parameterHolds(webhookUrl()); // a local URL: fine for the test notifier, not for the real one
    const error = jest.spyOn(logger, 'error');

    await expect(productionHandler(snsEvent({ subject: 's', message: 'm' }))).resolves.toBeUndefined();

    expect(received).toHaveLength(0);
    expect(webhookFailures()).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('must hold a Discord webhook URL'));
  });

  it('a parameter that is not a URL → no throw, failure counted', async () => {
    parameterHolds('paste the webhook here');

    await expect(testNotifier()(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(received).toHaveLength(0);
    expect(webhookFailures()).toBe(1);
  });

  it('nothing listening → no throw, failure counted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    parameterHolds(`${deadBase}api/webhooks/1/t`);

    await expect(createNotifierHandler({ extraAllowedPrefix: deadBase, timeoutMs: 1000 })(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(webhookFailures()).toBe(1);
  });

  it('a deleted webhook (404) makes the next alert read the parameter again', async () => {
    parameterHolds(webhookUrl());
    behaviour = 'not-found';
    const notify = testNotifier();

    await notify(snsEvent({ message: '1' }));
    behaviour = 'ok';
    await notify(snsEvent({ message: '2' }));

    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(webhookFailures()).toBe(1);
  });

  it.each([
    ['no records', { Records: [] }],
    ['no Records field', {}],
    ['a record without Sns', { Records: [{}] }],
    ['a message that is not text', { Records: [{ Sns: { Subject: 's', Message: 42 } }] }],
  ])('%s → no throw, no request', async (_label, event) => {
    parameterHolds(webhookUrl());

    await expect(testNotifier()(event as unknown as SNSEvent)).resolves.toBeUndefined();

    expect(received).toHaveLength(0);
  });

  it('missing GM_DISCORD_PARAMETER → no throw, explained', async () => {
    delete process.env.GM_DISCORD_PARAMETER;
    const error = jest.spyOn(logger, 'error');

    await expect(testNotifier()(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(error).toHaveBeenCalledWith(expect.stringContaining('GM_DISCORD_PARAMETER'));
    expect(webhookFailures()).toBe(1);
  });
});

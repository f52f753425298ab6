/**
 * Fixtures for the notifier tests: a real local webhook server that behaves
 * as told, SNS events as Lambda receives them, and the SSM mock.
 * Import '../../support/powertools-env' before this file.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler, type NotifierOptions } from '../../../src/lambdas/notifier/handler';
import { testClock, type TestClock } from '../../support/clock';

export const PARAMETER = '/gm/discord-webhook';
export const ENV: NodeJS.ProcessEnv = { GM_DISCORD_PARAMETER: PARAMETER };
export const ssm = mockClient(SSMClient);

/** How the server answers the next posts: one behaviour per post, the last one repeats. */
export type Behaviour = 'ok' | 'fail' | 'not-found' | 'hang' | 'rate-limited' | 'rate-limited-long';

export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

export class WebhookServer {
  received: ReceivedRequest[] = [];
  private plan: Behaviour[] = ['ok'];
  private readonly hanging: ServerResponse[] = [];
  private server: Server | undefined;
  baseUrl = '';

  answer(...plan: Behaviour[]): void {
    this.plan = plan;
  }

  url(): string {
    return `${this.baseUrl}api/webhooks/123456789/secret-token`;
  }

  contents(): string[] {
    return this.received.map((r) => (r.body as { content: string }).content);
  }

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.received.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], body: JSON.parse(text) as unknown });
        const behaviour = this.plan.length > 1 ? this.plan.shift()! : this.plan[0]!;
        if (behaviour === 'ok') res.writeHead(204).end();
        else if (behaviour === 'fail') res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"internal error"}');
        else if (behaviour === 'not-found') res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Unknown Webhook","code":10015}');
        // Discord's rate-limit answer: https://discord.com/developers/docs/topics/rate-limits (retry_after in seconds).
        else if (behaviour === 'rate-limited') res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"message":"You are being rate limited.","retry_after":0.25,"global":false}');
        else if (behaviour === 'rate-limited-long') res.writeHead(429, { 'content-type': 'application/json' }).end('{"message":"You are being rate limited.","retry_after":30,"global":true}');
        else this.hanging.push(res); // never answers
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A clock that stays at one time and never sleeps, but remembers for how long it was asked to. */
export function frozenClock(): TestClock {
  return testClock('2025-06-01T12:00:00Z', { frozen: true });
}

/**
 * The webhook server of the file's tests: started before them, stopped after;
 * before each, the SSM mock is reset and the server answers 'ok' with nothing received.
 */
export function webhookServer(): WebhookServer {
  const server = new WebhookServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    ssm.reset();
    server.answer('ok');
    server.received = [];
  });
  return server;
}

/** A notifier that accepts the local server (with the production timeout unless a test needs a short one). */
export function testNotifier(server: WebhookServer, options: Omit<NotifierOptions, 'extraAllowedPrefix'> = {}): (event: unknown) => Promise<void> {
  return createHandler({ env: ENV, clock: frozenClock(), extraAllowedPrefix: server.baseUrl, ...options });
}

export function parameterHolds(value: string): void {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: value } });
}

/** An SNS event as Lambda delivers it (format: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html). */
export function snsEvent(...messages: { subject?: string | null; message: string; id?: string }[]): { Records: unknown[] } {
  return {
    Records: messages.map(({ subject, message, id }, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts:0b1c2d3e',
      Sns: {
        Type: 'Notification',
        MessageId: id ?? `m-${i}-${Math.random().toString(36).slice(2)}`,
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:gm-alerts',
        Subject: subject ?? null,
        Message: message,
        Timestamp: '2025-06-01T12:00:00.000Z',
        SignatureVersion: '1',
        Signature: 'sig',
        SigningCertUrl: 'https://sns.example/cert.pem',
        UnsubscribeUrl: 'https://sns.example/unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}

/**
 * gm-ssm-parameter, the host's SSM client, run with the real python3 against
 * a local server that plays IMDSv2 and the SSM JSON API. The server checks
 * the Signature Version 4 signature against the AWS SDK's signer, with the
 * secret it handed out.
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { ssmParameterClientScript } from '../../../src/constructs/game/world-parameter-client';

const REGION = 'eu-west-1';
const ROLE = 'gm-mc-host';
const CREDENTIALS = { AccessKeyId: 'ASIAEXAMPLEHOST', SecretAccessKey: 'host-secret-key', Token: 'session-token-of-the-host' };

interface Received {
  readonly target: string;
  readonly body: { Name?: string };
  readonly signatureValid: boolean;
  readonly headers: IncomingMessage['headers'];
}

/** What the SSM side answers: status and JSON body. */
type Answer = (target: string, body: { Name?: string }) => [number, object];

function bytes(data: SourceData): string | Uint8Array {
  return typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** node:crypto in the shape the SDK's signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/**
 * Signs the same request with the AWS SDK's own SigV4 signer (same time,
 * same headers, same credentials) and compares: an independent check of the
 * host's hand-written signing.
 */
async function signatureValid(request: IncomingMessage, payload: string): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? '');
  const amzDate = String(request.headers['x-amz-date']);
  const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!at) return false;
  const signer = new SignatureV4({
    credentials: { accessKeyId: CREDENTIALS.AccessKeyId, secretAccessKey: CREDENTIALS.SecretAccessKey, sessionToken: CREDENTIALS.Token },
    region: REGION,
    service: 'ssm',
    sha256: Sha256,
    // The SSM JSON API takes no x-amz-content-sha256 header (only S3 needs it).
    applyChecksum: false,
  });
  const [hostname, port] = String(request.headers.host).split(':');
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: hostname!,
      port: Number(port),
      path: '/',
      query: {},
      headers: {
        host: String(request.headers.host),
        'content-type': String(request.headers['content-type']),
        'x-amz-target': String(request.headers['x-amz-target']),
      },
      body: payload,
    },
    { signingDate: new Date(`${at[1]}-${at[2]}-${at[3]}T${at[4]}:${at[5]}:${at[6]}Z`) },
  );
  return signed.headers.authorization === authorization;
}

async function fakeAws(answer: Answer): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let payload = '';
    request.on('data', (chunk: Buffer) => (payload += chunk.toString()));
    request.on('end', () => {
      const url = request.url ?? '';
      if (url === '/latest/api/token' && request.method === 'PUT' && request.headers['x-aws-ec2-metadata-token-ttl-seconds']) {
        response.end('imds-token');
      } else if (url.startsWith('/latest/meta-data/iam/security-credentials/') && request.headers['x-aws-ec2-metadata-token'] === 'imds-token') {
        response.end(url.endsWith('/') ? `${ROLE}\n` : JSON.stringify({ Code: 'Success', Type: 'AWS-HMAC', ...CREDENTIALS }));
      } else if (url === '/' && request.method === 'POST') {
        const target = String(request.headers['x-amz-target']).replace(/^AmazonSSM\./, '');
        const body = JSON.parse(payload) as { Name?: string };
        void signatureValid(request, payload).then((valid) => {
          received.push({ target, body, signatureValid: valid, headers: request.headers });
          const [status, json] = answer(target, body);
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          response.end(JSON.stringify(json));
        });
      } else {
        response.writeHead(404);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, received };
}

let dir: string;
let program: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gm-ssm-parameter-'));
  program = join(dir, 'gm-ssm-parameter');
  writeFileSync(program, ssmParameterClientScript());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(url: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', [program, ...args], { env: { PATH: process.env.PATH, AWS_REGION: REGION, GM_IMDS_ENDPOINT: url, GM_SSM_ENDPOINT: url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function withAws<T>(answer: Answer, body: (url: string, received: Received[]) => Promise<T>): Promise<T> {
  const aws = await fakeAws(answer);
  try {
    return await body(aws.url, aws.received);
  } finally {
    await new Promise((resolve) => aws.server.close(resolve));
  }
}

describe('gm-ssm-parameter', () => {
  it('get: prints the value, from a GetParameter signed with the instance role (SigV4, session token)', async () => {
    await withAws(() => [200, { Parameter: { Name: '/gm/mc/world-swap', Type: 'String', Value: 'keep=before-restore-x\nsource=y', Version: 1 } }], async (url, received) => {
      const result = await run(url, 'get', '/gm/mc/world-swap');
      expect(result).toEqual({ status: 0, stdout: 'keep=before-restore-x\nsource=y\n', stderr: '' });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ target: 'GetParameter', body: { Name: '/gm/mc/world-swap' }, signatureValid: true });
      expect(received[0]!.headers['x-amz-security-token']).toBe(CREDENTIALS.Token);
      expect(received[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
    });
  });

  it('get: prints nothing and succeeds when the parameter does not exist', async () => {
    await withAws(() => [400, { __type: 'ParameterNotFound' }], async (url) => {
      expect(await run(url, 'get', '/gm/mc/world-swap')).toEqual({ status: 0, stdout: '', stderr: '' });
    });
  });

  it('get: fails with one line when access is denied', async () => {
    await withAws(() => [400, { __type: 'AccessDeniedException', message: 'not authorized' }], async (url) => {
      const result = await run(url, 'get', '/gm/mc/world-swap');
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('gm-ssm-parameter: GetParameter /gm/mc/world-swap failed: AccessDeniedException\n');
    });
  });

  it('retries a throttled call', async () => {
    let calls = 0;
    await withAws(() => (++calls === 1 ? [400, { __type: 'ThrottlingException' }] : [200, { Parameter: { Value: 'keep=k' } }]), async (url, received) => {
      const result = await run(url, 'get', '/gm/mc/world-swap');
      expect(result).toEqual({ status: 0, stdout: 'keep=k\n', stderr: '' });
      expect(received.map((r) => r.target)).toEqual(['GetParameter', 'GetParameter']);
    });
  });

  it('delete: DeleteParameter, signed; a parameter already gone counts as deleted', async () => {
    await withAws(() => [200, {}], async (url, received) => {
      expect(await run(url, 'delete', '/gm/mc/world-swap')).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(received[0]).toMatchObject({ target: 'DeleteParameter', body: { Name: '/gm/mc/world-swap' }, signatureValid: true });
    });
    await withAws(() => [400, { __type: 'ParameterNotFound' }], async (url) => {
      expect((await run(url, 'delete', '/gm/mc/world-swap')).status).toBe(0);
    });
  });

  it('refuses anything but get or delete', async () => {
    await withAws(() => [200, {}], async (url, received) => {
      const result = await run(url, 'put', '/gm/mc/world-swap');
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('usage: gm-ssm-parameter get|delete <name>\n');
      expect(received).toEqual([]);
    });
  });
});

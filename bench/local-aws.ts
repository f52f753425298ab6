/**
 * A stand-in for every AWS endpoint on 127.0.0.1, for the cold-start bench:
 * functions point at it through `AWS_ENDPOINT_URL`, so nothing leaves the
 * machine. It answers every call "access denied" in the call's own protocol
 * (JSON, CBOR, query XML, EC2 XML, REST XML): an answer the SDK parses as an
 * error and never retries, so each function's first call runs its real
 * code up to the first AWS call, through the SDK's whole first-request path
 * (credentials, endpoint, signing, HTTP, parsing), plus its error handling,
 * and always ends.
 *
 * It speaks HTTPS, as AWS does, with a certificate made for the run (openssl):
 * the SDK loads its HTTP-only code lazily, so an http:// endpoint would time
 * a path Lambda never takes. Without openssl it falls back to HTTP and says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalAws {
  readonly url: string;
  /** The certificate the functions must trust (`NODE_EXTRA_CA_CERTS`); undefined when serving HTTP. */
  readonly caFile?: string;
  /** The calls received since the last `take()`, e.g. `ssm PutParameter`, and forgets them. */
  take(): string[];
  close(): Promise<void>;
}

const MESSAGE = 'bench: no AWS here (local endpoint)';

/** A CBOR text string (major type 3), for the short texts below. */
function cborText(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const head = bytes.length < 24 ? Buffer.from([0x60 + bytes.length]) : Buffer.from([0x78, bytes.length]);
  return Buffer.concat([head, bytes]);
}

function serviceOf(request: IncomingMessage): string {
  // SigV4: Credential=<key>/<date>/<region>/<service>/aws4_request
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'unsigned';
}

interface Answer {
  readonly operation: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

function answer(request: IncomingMessage, body: string, service: string): Answer {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    return {
      operation: target.split('.').pop() ?? target,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' },
      body: JSON.stringify({ __type: 'AccessDeniedException', message: MESSAGE }),
    };
  }
  if (request.headers['smithy-protocol'] === 'rpc-v2-cbor') {
    return {
      operation: /\/operation\/([^/?]+)/.exec(request.url ?? '')?.[1] ?? 'unknown',
      headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-errortype': 'AccessDeniedException' },
      body: Buffer.concat([Buffer.from([0xa2]), cborText('__type'), cborText('AccessDeniedException'), cborText('message'), cborText(MESSAGE)]),
    };
  }
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  if (action && service === 'ec2') {
    return {
      operation: action,
      headers: { 'content-type': 'text/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>${MESSAGE}</Message></Error></Errors><RequestID>bench</RequestID></Response>`,
    };
  }
  return {
    operation: action ?? `${request.method} ${(request.url ?? '').split('?')[0]}`,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${MESSAGE}</Message></Error><RequestId>bench</RequestId></ErrorResponse>`,
  };
}

/** A throw-away certificate for 127.0.0.1 (P-256, one day), or undefined without openssl. */
function certificate(dir: string): { key: Buffer; cert: Buffer; caFile: string } | undefined {
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', caFile,
    ], { stdio: 'ignore' });
    return { key: readFileSync(keyFile), cert: readFileSync(caFile), caFile };
  } catch {
    return undefined;
  }
}

export async function startLocalAws(): Promise<LocalAws> {
  let calls: string[] = [];
  const listener: RequestListener = (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const service = serviceOf(request);
      const reply = answer(request, Buffer.concat(chunks).toString('utf8'), service);
      calls.push(`${service} ${reply.operation}`);
      response.writeHead(403, { ...reply.headers, 'x-amzn-requestid': 'bench' });
      response.end(reply.body);
    });
  };
  const dir = mkdtempSync(join(tmpdir(), 'gm-local-aws-'));
  const tls = certificate(dir);
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...(tls ? { caFile: tls.caFile } : {}),
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        }),
      ),
  };
}

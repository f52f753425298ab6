/**
 * The function zips are reproducible: the same code gives the same bytes in
 * another process and after the bundler's cache is gone, so the synthesized
 * `source_code_hash` (the function's change trigger) moves only with the code.
 *
 * And they are lean (issue 7): each holds the SDK commands its code sends and
 * no other, credentials come from the environment only, and what the bundler
 * rewrites in the SDK still signs requests and reads answers (a bundled call
 * against a local endpoint). Sizes are checked here; times only in the bench.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { unzipSync } from 'fflate';
import { bundleLambda, buildEntry, buildLambdaZip, lambdaEntry, type LambdaBundle } from '../../../src/constructs/support/lambda-bundle';
import { ENTRIES } from './support/expected-calls';
import { sdkCalls, SERVICE_OF_PACKAGE } from './support/lambda-sources';
import { REPO_ROOT, THREE_GAMES, resources, synthMain, type MainStackJson, type SynthResult } from './support/synth';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

/** The zip as written (atomically: renamed into place, so never half written). */
function zipBytes(bundle: LambdaBundle): Buffer {
  return readFileSync(bundle.zipPath);
}


describe.each([...ENTRIES])('bundle of %s', (entry) => {
  let bundle: LambdaBundle;
  let zip: Buffer;
  beforeAll(() => {
    bundle = bundleLambda(entry);
    zip = zipBytes(bundle);
  });

  it('is the zip whose base64 sha256 the bundler reports', () => {
    expect(sha256(zip)).toBe(bundle.sha256);
    expect(zip.byteLength).toBe(bundle.bytes);
  });

  it('holds exactly one entry, index.js', () => {
    expect(Object.keys(unzipSync(zip))).toEqual(['index.js']);
  });

  it('has code that names no path of this checkout and exports handler', () => {
    const code = Buffer.from(unzipSync(zip)['index.js']!).toString('utf8');
    expect(code).not.toContain(REPO_ROOT);
    expect(code).not.toContain(join(REPO_ROOT, 'node_modules'));
    // CommonJS export of the handler (esbuild's `__export` lists it by name).
    expect(code).toMatch(/handler:\(\)=>/);
  });

  it('is byte-identical when bundled again from scratch (no cached zip)', () => {
    const again = buildLambdaZip(entry);
    expect(sha256(again)).toBe(bundle.sha256);
    expect(again.byteLength).toBe(bundle.bytes);
  });
});

describe('bundles made by another process', () => {
  it('have the same sha256 for every function', () => {
    const script = [
      "const { createHash } = require('node:crypto');",
      "const { buildLambdaZip } = require('./src/constructs/support/lambda-bundle');",
      `const entries = ${JSON.stringify(ENTRIES)};`,
      "process.stdout.write(JSON.stringify(Object.fromEntries(entries.map((e) => [e, createHash('sha256').update(buildLambdaZip(e)).digest('base64')]))));",
    ].join('\n');
    const output = execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    const here = Object.fromEntries(ENTRIES.map((e) => [e, bundleLambda(e).sha256]));
    expect(JSON.parse(output)).toEqual(here);
  });
});

describe('synthesized functions', () => {
  let first: SynthResult;
  beforeAll(() => {
    first = synthMain(THREE_GAMES);
  });

  it('carry source_code_hash = base64 sha256 of the zip Terraform uploads', () => {
    const functions = resources(first.json, 'aws_lambda_function');
    expect(functions.length).toBe(11);
    for (const fn of functions) {
      const entry = (fn.body.environment as { variables: Record<string, string> }).variables.POWERTOOLS_SERVICE_NAME!;
      const asset = readFileSync(join(first.stackDir, String(fn.body.filename)));
      expect({ fn: fn.body.function_name, hash: fn.body.source_code_hash }).toEqual({ fn: fn.body.function_name, hash: sha256(asset) });
      // The code is the function's bundle; data files may sit beside it (the waker's routes.json).
      const uploaded = unzipSync(new Uint8Array(asset));
      const code = unzipSync(new Uint8Array(zipBytes(bundleLambda(entry))))['index.js']!;
      expect({ fn: fn.body.function_name, code: sha256(uploaded['index.js']!) }).toEqual({ fn: fn.body.function_name, code: sha256(code) });
      expect(Object.keys(uploaded).filter((name) => name !== 'index.js')).toEqual(entry === 'waker' ? ['routes.json'] : []);
    }
  });

  // Two synths give the same code hashes because each zip is byte-identical when bundled again from
  // scratch, here and in another process (above), and its hash is the zip's (this suite);
  // __tests__/stacks/determinism.test.ts compares two synths' JSON byte for byte.
});

/** Issue 7's size target for every function's zip. */
const MAX_ZIP_KIB = 300;

/** Output bytes per input file of a bundle's metafile (files that contribute nothing left out). */
function inputsInOutput(metafile: Metafile): Map<string, number> {
  const output = Object.values(metafile.outputs)[0]!;
  return new Map(Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path, input]) => [path, input.bytesInOutput]));
}

/** `@aws-sdk/client-ssm GetParameterCommand` for each command class file in the bundle. */
function bundledCommands(metafile: Metafile): string[] {
  return [...inputsInOutput(metafile).keys()]
    .map((path) => /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/commands\/(\w+Command)\.js$/.exec(path))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} ${m[2]}`);
}

describe.each([...ENTRIES])('lean bundle of %s', (entry) => {
  let metafile: Metafile;
  beforeAll(() => {
    metafile = buildEntry(lambdaEntry(entry), { metafile: true }).metafile!;
  });

  it('holds the SDK commands its code sends and no other (no whole client, no unused command)', () => {
    const sent = [...new Set(sdkCalls(entry).filter((call) => call.packageName in SERVICE_OF_PACKAGE).map((call) => `${call.packageName} ${call.command}`))].sort();
    expect(sent.length).toBeGreaterThan(0);
    const bundled = [...new Set(bundledCommands(metafile))].sort();
    const extra = bundled.filter((command) => !sent.includes(command));
    // A dynamic import() of code that imports a client, or the aggregated client class, keeps every command of it.
    expect({ missing: sent.filter((command) => !bundled.includes(command)), extra: extra.length > 5 ? [...extra.slice(0, 5), `… ${extra.length - 5} more`] : extra }).toEqual({ missing: [], extra: [] });
  });

  it('holds only the SDK clients of the commands it sends', () => {
    const clients = new Set([...inputsInOutput(metafile).keys()].map((path) => /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(path)?.[1]).filter((c) => c !== undefined));
    const sentBy = new Set(sdkCalls(entry).map((call) => call.packageName).filter((p) => p in SERVICE_OF_PACKAGE));
    expect([...clients].sort()).toEqual([...sentBy].sort());
  });

  it('reads credentials from the environment only: no SSO, STS, profile or instance-metadata providers inside', () => {
    const providers = [...inputsInOutput(metafile).keys()].filter((path) =>
      /node_modules\/(@aws-sdk\/(nested-clients|credential-provider-(node|ini|sso|process|web-identity|http|login)|token-providers)|@smithy\/credential-provider-imds)\//.test(path),
    );
    expect(providers).toEqual([]);
    expect([...inputsInOutput(metafile).keys()].some((path) => path.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
  });

  it(`is at most ${MAX_ZIP_KIB} KiB zipped`, () => {
    expect(Math.ceil(bundleLambda(entry).bytes / 1024)).toBeLessThanOrEqual(MAX_ZIP_KIB);
  });
});

/** What the local endpoint saw of one request. */
interface Seen {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An EC2 DescribeInstances answer, as EC2 writes it (ec2Query XML). */
const DESCRIBE_INSTANCES_XML = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>bundle-test</requestId>
  <reservationSet><item><reservationId>r-0123</reservationId><instancesSet><item>
    <instanceId>i-0123456789abcdef0</instanceId>
    <instanceState><code>16</code><name>running</name></instanceState>
    <ipAddress>203.0.113.7</ipAddress>
    <ipv6Address>2001:db8::7</ipv6Address>
    <tagSet><item><key>gm:game</key><value>mc</value></item></tagSet>
  </item></instancesSet></item></reservationSet>
</DescribeInstancesResponse>`;

/** A handler that sends one DescribeInstances through the shared clients and returns what it read. */
const DESCRIBE_HANDLER = `
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ec2 } from ${JSON.stringify(join(REPO_ROOT, 'src', 'lambdas', 'shared', 'clients'))};

export const handler = async () => {
  const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }));
  const instance = out.Reservations?.[0]?.Instances?.[0];
  return { id: instance?.InstanceId, state: instance?.State?.Name, ip: instance?.PublicIpAddress, ipv6: instance?.Ipv6Address, tags: instance?.Tags };
};
`;

/** Runs a bundle's handler once in a fresh node process with exactly `env`; its result or error as JSON. */
function runBundle(bundle: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; value?: unknown; name?: string; message?: string }> {
  const script = [
    'require(process.argv[1]).handler().then(',
    '  (value) => process.stdout.write(JSON.stringify({ ok: true, value })),',
    '  (e) => process.stdout.write(JSON.stringify({ ok: false, name: e.name, message: e.message })));',
  ].join('\n');
  // Asynchronous: the local endpoint answers from this process while the bundle runs.
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, bundle], { env, timeout: 60_000 }, (error, stdout) => {
      if (error && !stdout) reject(error);
      else resolve(JSON.parse(stdout) as { ok: boolean; value?: unknown; name?: string; message?: string });
    });
  });
}

describe('a bundled SDK call (the bundler rewrites the SDK\'s schemas and credential chain)', () => {
  let server: Server;
  let endpoint: string;
  let seen: Seen[];
  let dir: string;
  let bundle: string;
  let code: string;
  let ec2Bytes: number;

  beforeAll(async () => {
    seen = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
        response.end(DESCRIBE_INSTANCES_XML);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The entry lives in the checkout (under .build), so its imports resolve to this checkout's packages.
    const fixtures = join(REPO_ROOT, '.build', 'bundle-fixtures');
    mkdirSync(fixtures, { recursive: true });
    const entry = join(fixtures, `describe-instance-${process.pid}.ts`);
    writeFileSync(entry, DESCRIBE_HANDLER);
    let built;
    try {
      built = buildEntry(entry, { metafile: true });
    } finally {
      rmSync(entry, { force: true });
    }
    code = Buffer.from(built.code).toString('utf8');
    ec2Bytes = [...inputsInOutput(built.metafile!)].filter(([path]) => path.includes('node_modules/@aws-sdk/client-ec2/')).reduce((sum, [, bytes]) => sum + bytes, 0);
    dir = mkdtempSync(join(tmpdir(), 'gm-bundled-call-'));
    bundle = join(dir, 'index.js');
    writeFileSync(bundle, built.code);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen = [];
  });

  const baseEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: dir,
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  it('carries the shapes of DescribeInstances, not all of EC2\'s', () => {
    expect(code).toContain('DescribeInstancesRequest');
    // Shapes of commands the handler never sends are gone (EC2 has thousands: 550 KiB).
    expect(code).not.toContain('AllocateAddressRequest');
    expect(code).not.toContain('RunInstancesRequest');
    expect(ec2Bytes).toBeLessThan(64 * 1024);
  });

  it('signs with the environment\'s credentials and reads the answer into the modelled output', async () => {
    const result = await runBundle(bundle, {
      ...baseEnv(),
      AWS_ACCESS_KEY_ID: 'ASIABUNDLETEST000001',
      AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
      AWS_SESSION_TOKEN: 'bundle-test-token',
    });
    expect(result).toEqual({
      ok: true,
      value: { id: 'i-0123456789abcdef0', state: 'running', ip: '203.0.113.7', ipv6: '2001:db8::7', tags: [{ Key: 'gm:game', Value: 'mc' }] },
    });
    expect(seen).toHaveLength(1);
    expect(String(seen[0]!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIABUNDLETEST000001\/\d{8}\/eu-west-1\/ec2\/aws4_request/);
    expect(seen[0]!.headers['x-amz-security-token']).toBe('bundle-test-token');
    expect(seen[0]!.body).toContain('Action=DescribeInstances');
    expect(seen[0]!.body).toContain('InstanceId.1=i-0123456789abcdef0');
  });

  it('without credentials in the environment fails saying where it looked, and sends nothing', async () => {
    const result = await runBundle(bundle, { ...baseEnv(), AWS_PROFILE: 'someone', AWS_CONFIG_FILE: join(dir, 'none') });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
    expect(seen).toEqual([]);
  });
});

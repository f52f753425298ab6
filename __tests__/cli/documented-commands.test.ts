/**
 * ./help and the README's operator guide list every command, and every
 * `npm run --silent gm -- …` example in them runs as written: the command
 * line is accepted (never exit 2), and a command that talks to AWS gets as far
 * as AWS (here a local endpoint that refuses every call).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';
import { REPO_ROOT } from './run-cli';

const HELP = execFileSync(join(REPO_ROOT, 'help'), { encoding: 'utf8' });
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/**
 * The arguments of each command line (a line that starts with the command, or
 * with variables for it) after `npm run --silent gm --`, up to a comment (`#`)
 * or a description (two spaces).
 */
function examples(text: string): string[][] {
  return [...text.matchAll(/^\s*(?:[A-Z_]+=\S+\s+)*npm run --silent gm -- (.*)$/gm)].map((m) => m[1]!.split(/\s{2,}|\s#/)[0]!.trim().split(/\s+/));
}

/**
 * AWS's answer to a call the caller may not make, in the call's protocol:
 * EC2's query protocol, the other query protocols (Auto Scaling), and JSON.
 */
function accessDenied(body: string): { status: number; type: string; text: string } {
  if (body.includes('Action=') && body.includes('Version=2016-11-15')) {
    return { status: 403, type: 'text/xml', text: '<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>1</RequestID></Response>' };
  }
  if (body.includes('Action=')) {
    return { status: 403, type: 'text/xml', text: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Access denied</Message></Error><RequestId>1</RequestId></ErrorResponse>' };
  }
  return { status: 403, type: 'application/x-amz-json-1.1', text: JSON.stringify({ __type: 'AccessDeniedException', message: 'Access denied' }) };
}

/** Commands that never call AWS. */
const LOCAL = new Set(['help', 'policy', 'probe', 'lambda', 'cost', 'audit']);

describe.each([['./help', HELP], ['README.md', README]])('%s', (_name, text) => {
  it('lists every command with an example', () => {
    const shown = new Set(examples(text).map((args) => args[0]));
    expect(COMMANDS.map((c) => c.name).filter((name) => !shown.has(name))).toEqual([]);
  });
});

describe('every documented example runs as written', () => {
  let server: Server;
  const saved = { ...process.env };
  const cwd = process.cwd();

  beforeAll(async () => {
    // Every AWS call is refused, as for a user without the permission: the command got that far.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const denied = accessDenied(body);
        res.writeHead(denied.status, { 'content-type': denied.type, 'x-amzn-errortype': 'AccessDeniedException' });
        res.end(denied.text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      GM_CONFIG: join(REPO_ROOT, 'gamemanagement.yaml'),
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      // The probe example names a host of example.com: nothing answers, quickly.
    });
    // Examples are run from the repository (examples/events/…) but write relative paths
    // (--download ./mc-world): a folder with the repository's examples in it.
    const folder = mkdtempSync(join(tmpdir(), 'gm-examples-'));
    symlinkSync(join(REPO_ROOT, 'examples'), join(folder, 'examples'));
    process.chdir(folder);
  });

  afterAll(async () => {
    process.chdir(cwd);
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  const all = [...examples(HELP), ...examples(README)];
  const unique = [...new Map(all.map((args) => [args.join(' '), args])).values()];

  it.each(unique.map((args) => [args.join(' '), args] as const))('gm %s', async (_line, args) => {
    const captured = captureIo();
    const status = await main(args, captured.io);
    expect({ status, err: captured.err }).toEqual({ status: expect.any(Number), err: expect.not.arrayContaining([expect.stringMatching(/^usage:/)]) });
    expect(status).not.toBe(2);
    if (!LOCAL.has(args[0]!)) expect(captured.err.join('\n')).toMatch(/AWS denied/);
  }, 20_000);
});

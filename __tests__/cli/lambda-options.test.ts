/**
 * `gm lambda` option handling, run in process through `main` (the end-to-end
 * runs in lambda.test.ts start a process each, which is slow).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';

const FIXTURES = resolve(__dirname, 'fixtures/lambdas');
const AVAILABLE = 'echo, needs-env, no-export, publish';
let dir: string;
let emptyEvent: string;
const savedGame = process.env.GM_GAME;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gm-lambda-options-'));
  emptyEvent = join(dir, 'empty.json');
  writeFileSync(emptyEvent, '{}');
});

afterEach(() => {
  if (savedGame === undefined) delete process.env.GM_GAME;
  else process.env.GM_GAME = savedGame;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gm(...args: string[]) {
  const { io, out, err } = captureIo();
  const status = await main(args, io);
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('gm lambda options', () => {
  it("gives the handler the caller's environment", async () => {
    process.env.GM_GAME = '{"id":"valheim"}';
    const run = await gm('lambda', 'needs-env', '--event', emptyEvent, '--lambdas-dir', FIXTURES);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.out.split('\nsteps:\n')[0] ?? '')).toEqual({ game: 'valheim' });
  });

  it('prints the stack trace of a failure only with --stack', async () => {
    delete process.env.GM_GAME;
    const plain = await gm('lambda', 'needs-env', '--event', emptyEvent, '--lambdas-dir', FIXTURES);
    const withStack = await gm('lambda', 'needs-env', '--event', emptyEvent, '--stack', '--lambdas-dir', FIXTURES);

    expect(plain).toMatchObject({ status: 1, err: 'gm lambda needs-env failed: environment variable GM_GAME is not set' });
    expect(withStack.status).toBe(1);
    expect(withStack.err).toMatch(/^gm lambda needs-env failed: Error: environment variable GM_GAME is not set\n +at /);
  });

  it('says so when the handler file exports no handler', async () => {
    const run = await gm('lambda', 'no-export', '--event', emptyEvent, '--lambdas-dir', FIXTURES);

    expect(run.status).toBe(1);
    expect(run.err).toMatch(/^gm lambda no-export: cannot load the handler: .*no-export\/handler\.ts does not export a function named "handler"/);
  });

  it('offers the folders of src/lambdas that have a handler.ts by default', async () => {
    const run = await gm('lambda', 'no-such-function', '--event', emptyEvent);

    expect(run.status).toBe(2);
    expect(run.err).toMatch(/^gm lambda: unknown function "no-such-function"; available: .*\bwaker\b/);
    expect(run.err).not.toMatch(/\bshared\b/);
  });

  it('lists the available functions for an unknown name before asking for --event', async () => {
    const run = await gm('lambda', 'wakr', '--lambdas-dir', FIXTURES);

    expect(run).toMatchObject({ status: 2, out: '', err: `gm lambda: unknown function "wakr"; available: ${AVAILABLE}` });
  });

  it.each([
    ['no --event', ['lambda', 'echo'], /^gm lambda: --event <file\.json> is required/],
    ['no name', ['lambda', '--event', 'x.json'], new RegExp(`^gm lambda: name the function to run; available: ${AVAILABLE}`)],
    ['two names', ['lambda', 'echo', 'publish', '--event', 'x.json'], /^gm lambda: unexpected argument "publish"/],
    ['an unknown option', ['lambda', 'echo', '--evnt', 'x.json'], /^gm lambda: Unknown option '--evnt'/],
    ['an option without its value', ['lambda', 'echo', '--event'], /^gm lambda: Option '--event <value>' argument missing/],
    ['a missing event file', ['lambda', 'echo', '--event', 'does-not-exist.json'], /^gm lambda: cannot read the event file does-not-exist\.json: ENOENT/],
  ])('exits 2 with the usage for %s', async (_what, args, message) => {
    const [command = 'lambda', ...rest] = args;
    const run = await gm(command, '--lambdas-dir', FIXTURES, ...rest);

    expect(run.status).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(message);
    expect(run.err).toContain('usage: gm lambda <name> --event <file.json>');
  });

  it('exits 2 when the event file is not JSON', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello":');
    const run = await gm('lambda', 'echo', '--event', bad, '--lambdas-dir', FIXTURES);

    expect(run.status).toBe(2);
    expect(run.err).toMatch(/^gm lambda: the event file .*bad\.json is not valid JSON/);
  });

  it('prints the usage for --help', async () => {
    const run = await gm('lambda', '--help');

    expect(run.status).toBe(0);
    expect(run.out).toMatch(/^usage: gm lambda <name> --event <file\.json> \[--dry-run\]/);
  });
});

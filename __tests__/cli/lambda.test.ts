/**
 * `gm lambda` end to end: the CLI runs in its own process (as operators run
 * it) against small fixture handlers under fixtures/lambdas. The option
 * handling is tested in process, in lambda-options.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envWith, runCli } from './run-cli';

const FIXTURES = '__tests__/cli/fixtures/lambdas';
let dir: string;

function eventFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gm-lambda-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `  <name>  <ms> ms`, as printed after a run. */
const timingLine = (name: string) => new RegExp(`^  ${name} +\\d+(\\.\\d)? ms$`, 'm');

describe('gm lambda', () => {
  it('runs the handler with the event, prints its result as JSON, then each step and the total', async () => {
    const event = eventFile('echo.json', JSON.stringify({ hello: 'world', n: 1 }));
    const run = await runCli(['lambda', 'echo', '--event', event, '--lambdas-dir', FIXTURES], envWith({}, ['GM_DRY_RUN']));

    expect(run.code).toBe(0);
    const [json, timings] = run.stdout.split('\nsteps:\n');
    expect(JSON.parse(json ?? '')).toEqual({
      received: { hello: 'world', n: 1 },
      words: 4,
      functionName: 'gm-local-echo',
      hasTimeLeft: true,
      dryRun: null,
    });
    const lines = (timings ?? '').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(timingLine('split-words'));
    expect(lines[1]).toMatch(timingLine('wait-a-little'));
    expect(lines[2]).toMatch(timingLine('total'));
  });

  it('with --dry-run sets GM_DRY_RUN=1 so shared clients print writes instead of sending them', async () => {
    const event = eventFile('publish.json', JSON.stringify({ message: 'starting mc.example.com' }));
    // No network and no credentials here: a write that were really sent would fail.
    const run = await runCli(['lambda', 'publish', '--event', event, '--dry-run', '--lambdas-dir', FIXTURES], envWith({}, ['GM_DRY_RUN']));

    expect(run.stderr).not.toContain('failed');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[dry-run] SNSClient.PublishCommand {"TopicArn":"arn:aws:sns:us-east-1:000000000000:gm-alerts","Message":"starting mc.example.com"}');
    expect(run.stdout).toContain('"published": "starting mc.example.com"');
    expect(run.stdout).toMatch(timingLine('publish'));
  });

  it("prints a failing handler's message without a stack trace, the timings so far, and exits 1", async () => {
    const event = eventFile('empty.json', '{}');
    const run = await runCli(['lambda', 'needs-env', '--event', event, '--lambdas-dir', FIXTURES], envWith({}, ['GM_GAME']));

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('gm lambda needs-env failed: environment variable GM_GAME is not set\n');
    expect(run.stdout).toMatch(/^  read-config +\d+(\.\d)? ms  \(failed\)$/m);
    expect(run.stdout).toMatch(timingLine('total'));
  });

  it('lists the available functions when the name is unknown, and exits 2', async () => {
    const event = eventFile('empty.json', '{}');
    const run = await runCli(['lambda', 'wakr', '--event', event, '--lambdas-dir', FIXTURES]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // no-handler has no handler.ts, so it is not offered.
    expect(run.stderr).toBe('gm lambda: unknown function "wakr"; available: echo, needs-env, no-export, publish\n');
  });
});

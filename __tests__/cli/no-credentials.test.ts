/**
 * Every command that talks to AWS, on a machine without AWS credentials: one
 * line that says so and how to set them, exit 1, never an SDK stack trace —
 * once as users run it (a real process, `tsx src/cli/main.ts`), and for every
 * command through the same dispatch in this process (the SDK's whole
 * credential chain runs either way).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, main } from '../../src/cli/main';
import { captureIo } from '../support/cli-io';
import { envWith, runCli } from './run-cli';

/** A command line for each AWS command, as the README shows it (the shipped configuration has game mc). */
const COMMAND_LINES: Readonly<Record<string, readonly string[]>> = {
  status: ['status'],
  start: ['start', 'mc'],
  stop: ['stop', 'mc'],
  logs: ['logs', 'mc', '--since', '10m'],
  backups: ['backups', 'mc'],
  restore: ['restore', 'mc', 'latest', '--yes'],
  shell: ['shell', 'mc'],
  files: ['files', 'mc'],
};

/** Commands that need no AWS account. */
const LOCAL_COMMANDS = new Set(['probe', 'lambda', 'policy', 'cost', 'audit']);

const empty = mkdtempSync(join(tmpdir(), 'gm-no-credentials-'));
const AWS_VARIABLES = Object.keys(process.env).filter((name) => name.startsWith('AWS_'));
const noCredentials = envWith(
  {
    GM_CONFIG: 'gamemanagement.yaml',
    // No credentials file, no config file, no instance metadata: nothing to find.
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    HOME: empty,
  },
  AWS_VARIABLES,
);

describe('without AWS credentials', () => {
  it('every AWS command is covered here', () => {
    const aws = COMMANDS.map((c) => c.name).filter((name) => !LOCAL_COMMANDS.has(name));
    // A new command that reaches AWS gets a line in COMMAND_LINES (or joins LOCAL_COMMANDS).
    expect(aws.filter((name) => !(name in COMMAND_LINES))).toEqual([]);
  });

  const NO_CREDENTIALS = 'no AWS credentials found: run `aws configure` (or `aws sso login --profile <name>`), or pass --profile <name>, or set AWS_PROFILE';

  it('as a process: one line on stderr, nothing on stdout, exit 1', async () => {
    const run = await runCli(COMMAND_LINES.status!, noCredentials);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 1, stdout: '', stderr: `gm status: ${NO_CREDENTIALS}\n` });
  }, 30_000);

  describe('in this process', () => {
    const saved = process.env;
    beforeAll(() => {
      process.env = noCredentials;
    });
    afterAll(() => {
      process.env = saved;
    });

    it.each(Object.entries(COMMAND_LINES).filter(([name]) => COMMANDS.some((c) => c.name === name)))('gm %s prints one line and exits 1', async (name, args) => {
      const captured = captureIo();
      const status = await main(args, captured.io);
      expect({ status, out: captured.out, err: captured.err }).toEqual({ status: 1, out: [], err: [`gm ${name}: ${NO_CREDENTIALS}`] });
    }, 30_000);
  });
});

/**
 * The process's CliIo as a log or a pipe sees it (no terminal): each new step
 * of a progress line printed once, not every elapsed second; results on
 * stdout, progress and diagnostics on stderr.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli';

const SCRIPT = `
import { processIo } from './src/cli/io';
processIo.progress('⠋ starting mc: instance pending (0 s)');
processIo.progress('⠙ starting mc: instance pending (5 s)');
processIo.progress('⠹ starting mc: instance running (10 s)');
processIo.out('result');
processIo.progress(undefined);
processIo.err('done');
`;

it('prints each new progress step once when stderr is not a terminal', () => {
  const run = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['--eval', SCRIPT], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout).toBe('result\n');
  expect(run.stderr).toBe('starting mc: instance pending (0 s)\nstarting mc: instance running (10 s)\ndone\n');
});

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
const TSX = resolve(REPO_ROOT, 'node_modules/.bin/tsx');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tsx src/cli/main.ts <args>` from the repository root, as
 * `npm run gm` does, without blocking this process (a test server may be
 * answering in it).
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(TSX, ['src/cli/main.ts', ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The environment without the variables a test wants absent, plus the given ones. */
export function envWith(extra: NodeJS.ProcessEnv, without: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of without) delete env[name];
  return env;
}

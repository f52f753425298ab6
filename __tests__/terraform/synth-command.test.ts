/**
 * The README's first command, `npm run synth`, as a user runs it: a working
 * configuration synthesizes with no error line (no version-check call, no
 * cdktf wrapping), a broken one lists each problem once, and synthesizing
 * again after the functions' code changed leaves one asset folder per asset.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, progress } from '../support/plan-suite';

const work = mkdtempSync(join(tmpdir(), 'gm-synth-command-'));
const out = join(work, 'cdktf.out');

function configWithGame(id: string, port: number | string = 25565): string {
  const file = join(work, `${id}.yaml`);
  writeFileSync(file, [
    'region: eu-west-1',
    'domain: { name: example.com }',
    'state: { bucket: example-com-synth-command }',
    'games:',
    `  ${id}:`,
    '    image: itzg/minecraft-server:java21',
    '    instanceType: t4g.medium',
    `    ports: [{ port: ${port} }]`,
    '    environment: { EULA: "TRUE" }',
    '    volumes: [{ path: /data }]',
    '',
  ].join('\n'));
  return file;
}

/** `npm run synth` in the project, with the configuration and output folder given by environment as a user may. */
function npmRunSynth(config: string): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, GM_CONFIG: config, CDKTF_OUTDIR: out };
  delete env.CHECKPOINT_DISABLE; // the command must be clean without it
  const result = spawnSync('npm', ['run', 'synth'], { cwd: ROOT, env, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The asset folders a stack's JSON refers to, and the ones on disk. */
function assetFolders(stack: string): { referenced: string[]; onDisk: string[] } {
  const text = readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8');
  const referenced = [...new Set([...text.matchAll(/assets\/([^/"]+)\//g)].map((m) => m[1]!))].sort();
  const dir = join(out, 'stacks', stack, 'assets');
  return { referenced, onDisk: existsSync(dir) ? readdirSync(dir).sort() : [] };
}

it('synthesizes a working configuration with no error line, and again after the code changed without stale assets', () => {
  progress('npm run synth, twice');
  const first = npmRunSynth(configWithGame('mc'));
  expect(first.status).toBe(0);
  expect(first.output).not.toMatch(/error|ENOTFOUND|checkpoint/i);
  const before = assetFolders('gamemanagement');
  expect(before.onDisk).toEqual(before.referenced);

  // Another game changes the waker's routing table, packed in its zip: a new waker asset.
  const second = npmRunSynth(configWithGame('mc-two'));
  expect(second.status).toBe(0);
  const after = assetFolders('gamemanagement');
  expect(after.referenced).not.toEqual(before.referenced);
  expect(after.onDisk).toEqual(after.referenced);
});

it('lists each problem of a broken configuration once, and writes nothing', () => {
  const broken = npmRunSynth(configWithGame('broken', 70000));
  expect(broken.status).not.toBe(0);
  expect(broken.output.match(/games\.broken\.ports\[0\]\.port/g)).toHaveLength(1);
  expect(broken.output).not.toMatch(/ENOTFOUND|cdktf encountered an error|Command output on stderr/);
  expect(readFileSync(join(out, 'stacks', 'gamemanagement', 'cdk.tf.json'), 'utf8')).toContain('mc-two');
});

it('is the command the README and ./help give first', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('npm ci && npm run synth');
  expect(execFileSync(join(ROOT, 'help'), { encoding: 'utf8' })).toContain('npm run synth');
});

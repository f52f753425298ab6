/**
 * The sample error in README.md ("Configuration") is what synth prints:
 * main.ts is run as cdktf runs it, on the configuration the sample describes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The YAML behind the README's sample: three mistakes, one line each. */
const SAMPLE = `region: eu-west-1
domain: { name: example.com }
state: { bucket: example-com-gamemanagement-state }
games:
  mc:
    imgae: itzg/minecraft-server:java21
    instanceType: t4g.medium
    memoryMiB: 8192
    ports:
      - port: 70000
`;

function readmeSample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /A mistake stops the synth[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md lost its sample error output under "Configuration"');
  return match[1]!;
}

describe('the sample error output in README.md', () => {
  it('is exactly what `cdktf synth` prints for that configuration, and nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-readme-'));
    writeFileSync(join(dir, 'gamemanagement.yaml'), SAMPLE);
    const env = { ...process.env, CDKTF_OUTDIR: join(dir, 'cdktf.out'), GM_CONFIG: '' };
    let stderr = '';
    let stdout = '';
    let status = 0;
    try {
      stdout = execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'main.ts')], { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const failed = e as { status: number; stderr: string; stdout: string };
      ({ status, stderr, stdout } = failed);
    }
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(readmeSample());
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    expect(existsSync(join(dir, 'gamemanagement.worlds.lock.json'))).toBe(false);
  }, 60_000);
});

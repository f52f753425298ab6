/**
 * `main.ts` as cdktf runs it: a good config synthesizes every stack, a broken
 * one exits 1 with each problem named, no stack trace and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function runMain(configFile: string, outdir: string) {
  return spawnSync(TSX, [join(ROOT, 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, GM_CONFIG: configFile, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
}

describe('main.ts', () => {
  it('synthesizes the bootstrap, worlds and main stacks from the shipped config', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gm-main-')), 'cdktf.out');
    const result = runMain(join(ROOT, 'gamemanagement.yaml'), out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['bootstrap', 'gamemanagement', 'gamemanagement-worlds']);
  });

  it('never deletes a kept world when its game is dropped: Terraform is told to forget it instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-kept-'));
    const file = join(dir, 'gamemanagement.yaml');
    const game = (id: string, extra = '') => `  ${id}:\n    image: itzg/minecraft-server\n    instanceType: t4g.medium\n    ports: [{ port: 25565 }]\n    volumes: [{ path: /data }]\n${extra}`;
    const head = 'region: eu-west-1\ndomain: { name: example.com }\nstate: { bucket: example-state-bucket }\ngames:\n';
    const worlds = (out: string) => JSON.parse(readFileSync(join(out, 'stacks', 'gamemanagement-worlds', 'cdk.tf.json'), 'utf8'));

    writeFileSync(file, head + game('mc'));
    const first = runMain(file, join(dir, 'out1'));
    expect(first.status).toBe(0);
    expect(worlds(join(dir, 'out1')).removed).toBeUndefined();

    writeFileSync(file, head + game('minecraft'));
    const renamed = runMain(file, join(dir, 'out2'));
    expect(renamed.status).toBe(0);
    expect(renamed.stdout).toContain('games.mc: no longer creates its world');
    expect(worlds(join(dir, 'out2')).removed).toEqual([
      { from: 'aws_efs_file_system.world_mc', lifecycle: { destroy: false } },
      { from: 'aws_efs_backup_policy.world_mc_backup', lifecycle: { destroy: false } },
    ]);

    // Letting the world go is explicit: keepOnDestroy: false on the game takes it out of the lock.
    writeFileSync(file, head + game('mc', '    keepOnDestroy: false\n'));
    expect(runMain(file, join(dir, 'out3')).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'gamemanagement.worlds.lock.json'), 'utf8')).keptWorlds).toEqual(['minecraft']);
  });

  it('exits 1 on a broken config, names every problem, prints no stack trace and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-broken-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, [
      'region: eu-west-1',
      'domain: { name: example.com }',
      'state: { bucket: example-state-bucket }',
      'games:',
      '  mc:',
      '    image: itzg/minecraft-server',
      '    instanceType: t4g.medium',
      '    ports: [{ port: 99999 }]',
      '    idleMinutes: 5',
      '',
    ].join('\n'));
    const out = join(dir, 'cdktf.out');
    const result = runMain(file, out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('games.mc.ports[0].port: found 99999; expected a port number from 1 to 65535');
    expect(result.stderr).toContain('games.mc.idleMinutes: unknown key');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });
});

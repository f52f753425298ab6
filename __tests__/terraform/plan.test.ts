/**
 * Real Terraform on what we synthesize: `init` from the local provider mirror,
 * `validate`, and `plan` with fake credentials — for the shipped config and
 * every example. Each stack must plan to create exactly what it declares.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { declaredResources, findProviderMirror, planStack, prepareStack, terraformVersion } from '../support/terraform';

const ROOT = join(__dirname, '..', '..');
const CONFIGS = ['gamemanagement.yaml', ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];
// The shipped file and examples/minecraft-java.yaml differ only in comments: plan it once.
const DISTINCT = CONFIGS.filter((c) => c !== 'examples/minecraft-java.yaml');

describe('the toolchain', () => {
  it('has Terraform 1.11 or newer and the provider mirror (install them if this fails)', () => {
    const [major, minor] = terraformVersion().split('.').map(Number);
    expect(major! > 1 || (major === 1 && minor! >= 11)).toBe(true);
    expect(findProviderMirror()).toBeTruthy();
  });
});

describe.each(DISTINCT)('%s', (configFile) => {
  const config = loadConfig(join(ROOT, configFile), {});
  let stacksDir: string;
  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), 'gm-plan-'));
    buildApp(config, out).app.synth();
    stacksDir = join(out, 'stacks');
  });

  const stacks = configFile === 'gamemanagement.yaml' ? ['bootstrap', 'gamemanagement-worlds', 'gamemanagement'] : ['gamemanagement-worlds', 'gamemanagement'];
  it.each(stacks)('%s passes terraform validate and plans every declared resource', (stack) => {
    const prepared = prepareStack({ stacksDir, stack, region: config.region });
    expect(prepared.run(['validate', '-no-color'])).toContain('Success! The configuration is valid.');
    const plan = planStack(prepared);
    expect(plan.creates).toBe(declaredResources(prepared.json));
    expect(plan.creates).toBeGreaterThan(0);
    if (stack === 'gamemanagement') {
      expect(plan.byType.aws_autoscaling_group).toBe(config.games.length);
      expect(plan.byType.aws_ecs_service).toBe(config.games.length);
      expect(plan.byType.aws_route53_query_log).toBe(1);
    }
    if (stack === 'gamemanagement-worlds') {
      expect(plan.byType.aws_efs_file_system ?? 0).toBe(config.games.filter((g) => !g.existingFileSystemId).length);
    }
  });
});

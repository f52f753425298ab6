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
      // The control loop: one waker for the zone; per game an instance hook, a watchdog and a
      // failsafe, their rules and permissions, and one alarm; a notifier only with Discord.
      const games = config.games.length;
      const spotGames = config.games.filter((g) => g.spot).length;
      const discord = config.alerts.discordWebhookParameter ? 1 : 0;
      expect(plan.byType.aws_lambda_function).toBe(1 + 3 * games + discord);
      expect(plan.byType.aws_cloudwatch_log_subscription_filter).toBe(1);
      expect(plan.byType.aws_autoscaling_lifecycle_hook).toBe(2 * games);
      expect(plan.byType.aws_cloudwatch_event_rule).toBe(3 * games + spotGames);
      expect(plan.byType.aws_cloudwatch_event_target).toBe(3 * games + spotGames);
      expect(plan.byType.aws_lambda_permission).toBe(1 + 3 * games + spotGames + discord);
      expect(plan.byType.aws_lambda_function_event_invoke_config).toBe(games);
      expect(plan.byType.aws_cloudwatch_metric_alarm).toBe(games);
      expect(plan.byType.aws_ssm_document).toBe(games);
    }
    if (stack === 'gamemanagement-worlds') {
      expect(plan.byType.aws_efs_file_system ?? 0).toBe(config.games.filter((g) => !g.existingFileSystemId).length);
    }
  });
});

/**
 * One describe block per configuration file: synth it, then for each stack
 * `terraform init` from the local mirror, `validate` and `plan` offline, and
 * check the plan creates exactly what the stack declares — including every
 * piece of the control loop. One test file per configuration, so jest runs
 * them in parallel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { declaredResources, planStack, prepareStack } from './terraform';

export const ROOT = join(__dirname, '..', '..');

export function describePlans(configFile: string, stacks: readonly string[]): void {
  describe(configFile, () => {
    const config = loadConfig(join(ROOT, configFile), {});
    let stacksDir: string;
    beforeAll(() => {
      const out = mkdtempSync(join(tmpdir(), 'gm-plan-'));
      buildApp(config, out).app.synth();
      stacksDir = join(out, 'stacks');
    });

    it.each(stacks)('%s passes terraform validate and plans every declared resource', (stack) => {
      const prepared = prepareStack({ stacksDir, stack, region: config.region });
      expect(prepared.run(['validate', '-no-color'])).toContain('Success! The configuration is valid.');
      const plan = planStack(prepared);
      expect(plan.creates).toBe(declaredResources(prepared.json));
      expect(plan.creates).toBeGreaterThan(0);
      const games = config.games.length;
      if (stack === 'gamemanagement') {
        expect(plan.byType.aws_autoscaling_group).toBe(games);
        expect(plan.byType.aws_ecs_service).toBe(games);
        expect(plan.byType.aws_route53_query_log).toBe(1);
        // The control loop: one waker for the zone; per game an instance hook, a watchdog and a
        // failsafe, their rules and permissions, and one alarm; a notifier only with Discord.
        const spotGames = config.games.filter((g) => g.spot).length;
        const discord = config.alerts.discordWebhookParameter ? 1 : 0;
        expect(plan.byType.aws_lambda_function).toBe(1 + 3 * games + discord);
        expect(plan.byType.aws_cloudwatch_log_subscription_filter).toBe(1);
        expect(plan.byType.aws_autoscaling_lifecycle_hook).toBe(2 * games);
        expect(plan.byType.aws_cloudwatch_event_rule).toBe(3 * games + spotGames);
        expect(plan.byType.aws_cloudwatch_event_target).toBe(3 * games + spotGames);
        expect(plan.byType.aws_lambda_permission).toBe(1 + 3 * games + spotGames + discord);
        expect(plan.byType.aws_lambda_function_event_invoke_config).toBe(games + 1);
        expect(plan.byType.aws_cloudwatch_metric_alarm).toBe(games);
        expect(plan.byType.aws_ssm_document).toBe(games);
      }
      if (stack === 'gamemanagement-worlds') {
        expect(plan.byType.aws_efs_file_system ?? 0).toBe(config.games.filter((g) => !g.existingFileSystemId).length);
      }
      if (stack === 'bootstrap') {
        expect(plan.byType.aws_s3_bucket).toBe(1);
      }
    });
  });
}

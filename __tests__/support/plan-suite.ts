/**
 * One describe block per configuration: synth it once, then for each stack
 * `terraform init` from the local mirror (the provider is linked, not
 * copied), `validate` and `plan` offline, and check the plan creates exactly
 * what the stack declares — including every piece of the control loop. One
 * test file per configuration, so jest runs them in parallel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/resolve';
import { declaredResources, planStack, prepareStack, type PlanSummary } from './terraform';

export const ROOT = join(__dirname, '..', '..');

/** What the control loop must plan for a configuration: per game and once per zone. */
export function expectControlLoop(plan: PlanSummary, config: Config): void {
  const games = config.games.length;
  const spotGames = config.games.filter((g) => g.spot).length;
  const discord = config.alerts.discordWebhookParameter ? 1 : 0;
  const emails = config.alerts.emails.length;
  expect(plan.byType.aws_autoscaling_group).toBe(games);
  expect(plan.byType.aws_ecs_service).toBe(games);
  expect(plan.byType.aws_route53_query_log).toBe(1);
  // One waker for the zone; per game an instance hook, a watchdog and a failsafe; a notifier only with Discord.
  expect(plan.byType.aws_lambda_function).toBe(1 + 3 * games + discord);
  expect(plan.byType.aws_cloudwatch_log_subscription_filter).toBe(1);
  expect(plan.byType.aws_autoscaling_lifecycle_hook).toBe(2 * games);
  // Per game: lifecycle actions, failed launches, the watchdog's schedule, stopped tasks; spot notices on spot.
  expect(plan.byType.aws_cloudwatch_event_rule).toBe(4 * games + spotGames);
  expect(plan.byType.aws_cloudwatch_event_target).toBe(4 * games + spotGames);
  // The rules' permissions, the waker's from the query logs, the notifier's from both topics.
  expect(plan.byType.aws_lambda_permission).toBe(1 + 4 * games + spotGames + 2 * discord);
  // Every function but the notifier has a failure destination.
  expect(plan.byType.aws_lambda_function_event_invoke_config).toBe(1 + 3 * games);
  // Alerts (game region) and the waker's failures (us-east-1), each with every address and the notifier.
  expect(plan.byType.aws_sns_topic).toBe(2);
  expect(plan.byType.aws_sns_topic_subscription ?? 0).toBe(2 * emails + 2 * discord);
  expect(plan.byType.aws_cloudwatch_metric_alarm).toBe(games);
  expect(plan.byType.aws_ssm_document).toBe(games);
  // The watchdog state only: sessions and pending wakes are created and deleted at run time.
  expect(plan.byType.aws_ssm_parameter).toBe(games);
}

/** Synthesizes every stack of `config` into a fresh folder, as `cdktf synth` does; returns the stacks folder. */
export function synthStacks(config: Config): string {
  const out = mkdtempSync(join(tmpdir(), 'gm-plan-'));
  buildApp(config, out).app.synth();
  return join(out, 'stacks');
}

/** Runs `terraform init`, `validate` and `plan` on one synthesized stack and checks the plan creates exactly what it declares. */
export function expectStackPlans(stacksDir: string, stack: string, config: Config): void {
  const prepared = prepareStack({ stacksDir, stack, region: config.region });
  expect(prepared.run(['validate', '-no-color'])).toContain('Success! The configuration is valid.');
  const plan = planStack(prepared);
  expect(plan.creates).toBe(declaredResources(prepared.json));
  expect(plan.creates).toBeGreaterThan(0);
  if (stack === 'gamemanagement') expectControlLoop(plan, config);
  if (stack === 'gamemanagement-worlds') {
    expect(plan.byType.aws_efs_file_system ?? 0).toBe(config.games.filter((g) => !g.existingFileSystemId).length);
  }
  if (stack === 'bootstrap') {
    expect(plan.byType.aws_s3_bucket).toBe(1);
  }
}

/**
 * Synthesizes `loadConfiguration()` once (in `beforeAll`) and plans each of
 * `stacks`. `label` names the describe block.
 */
export function describeConfigPlans(label: string, loadConfiguration: () => Config, stacks: readonly string[]): void {
  describe(label, () => {
    let config: Config;
    let stacksDir: string;
    beforeAll(() => {
      config = loadConfiguration();
      stacksDir = synthStacks(config);
    });

    it.each(stacks)('%s passes terraform validate and plans every declared resource', (stack) => {
      expectStackPlans(stacksDir, stack, config);
    });
  });
}

/** The plans of one configuration file of the repository (the examples and the shipped file). */
export function describePlans(configFile: string, stacks: readonly string[]): void {
  describeConfigPlans(configFile, () => loadConfig(join(ROOT, configFile), {}), stacks);
}

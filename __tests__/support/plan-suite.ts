/**
 * Real `terraform validate` and `plan` of whole configurations, offline.
 *
 * Every configuration of a suite is synthesized once, and all their stacks
 * become modules of one Terraform root: one `init` and one `plan` for all
 * (the provider's start and schema load dominate a small stack's plan, so
 * planning 20 stacks at once costs little more than one). `plan` runs
 * `validate`'s checks first and reports the same diagnostics, each with the
 * file (so the module) it is about: no separate `validate` run is needed.
 * Each stack is then checked on its own: it validates, and its plan creates
 * exactly what it declares, including every piece of the control loop.
 * Each phase prints a line as it starts, so a long run shows where it is.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import type { ReleasedWorld } from '../../src/config/kept-worlds';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/resolve';
import { declaredResources, moduleName, prepareStack, planStack, prepareStackBundle, type Diagnostic, type PlanSummary, type StackBundle, type StackRef } from './terraform';

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
export function synthStacks(config: Config, released: readonly ReleasedWorld[] = []): string {
  const out = mkdtempSync(join(tmpdir(), 'gm-plan-'));
  buildApp(config, out, released).app.synth();
  return join(out, 'stacks');
}

/** What every planned stack must show: it creates exactly what it declares, and what its kind of stack needs. */
export function expectStackPlan(plan: PlanSummary | undefined, json: Record<string, unknown>, stack: string, config: Config): void {
  const creates = plan?.creates ?? 0;
  expect(creates).toBe(declaredResources(json));
  expect(creates).toBeGreaterThan(0);
  if (stack === 'gamemanagement') expectControlLoop(plan!, config);
  if (stack === 'gamemanagement-worlds') {
    expect(plan!.byType.aws_efs_file_system ?? 0).toBe(config.games.filter((g) => !g.existingFileSystemId).length);
  }
  if (stack === 'bootstrap') {
    expect(plan!.byType.aws_s3_bucket).toBe(1);
  }
}

/**
 * Runs `terraform init` and `plan` on one synthesized stack and checks the plan
 * creates exactly what it declares. `plan` validates first (`planStack` throws
 * with the errors `terraform validate` would print), so there is no separate
 * `validate` run.
 */
export function expectStackPlans(stacksDir: string, stack: string, config: Config): void {
  const started = Date.now();
  progress(`${stack} of ${config.games.length} games: terraform init`);
  const prepared = prepareStack({ stacksDir, stack, region: config.region });
  progress(`${stack}: terraform plan, validating first (${Math.round((Date.now() - started) / 1000)} s)`);
  expectStackPlan(planStack(prepared), prepared.json, stack, config);
  progress(`${stack}: planned in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** A progress line on the terminal while jest runs (jest holds console output until the file ends). */
export function progress(message: string): void {
  process.stderr.write(`  [terraform] ${message}\n`);
}

/** One configuration of a bundle: how to load it, which stacks to plan, and kept worlds it releases. */
export interface PlannedConfiguration {
  readonly label: string;
  readonly load: () => Config;
  readonly stacks: readonly string[];
  readonly released?: readonly ReleasedWorld[];
}

export interface BundledPlans {
  readonly config: (label: string) => Config;
  readonly stackJson: (label: string, stack: string) => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Terraform JSON
  readonly plan: (label: string, stack: string) => PlanSummary | undefined;
  readonly validate: () => ValidateResult;
}

export interface ValidateResult { readonly valid: boolean; readonly errors: readonly Diagnostic[] }

/** Minutes a whole bundle may take on a busy 2-core machine (jest's per-test default is for single tests). */
const BUNDLE_TIMEOUT_MS = 20 * 60_000;

/**
 * Synthesizes each configuration (in `beforeAll`), and validates and plans
 * all their stacks in one Terraform root. Returns accessors for the tests.
 */
export function bundlePlans(configurations: readonly PlannedConfiguration[]): BundledPlans {
  const configs = new Map<string, Config>();
  const labels = new Map<string, string>();
  let bundle: StackBundle;
  let validation: ValidateResult;
  let plans: ReadonlyMap<string, PlanSummary>;
  const started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
  beforeAll(() => {
    const refs = new Map<string, StackRef>();
    progress(`synthesizing ${configurations.length} configurations`);
    for (const c of configurations) {
      const config = c.load();
      configs.set(c.label, config);
      const stacksDir = synthStacks(config, c.released);
      for (const stack of c.stacks) {
        const name = moduleName(`${c.label}-${stack}`);
        labels.set(`${c.label}\0${stack}`, name);
        refs.set(name, { stacksDir, stack, region: config.region });
      }
    }
    progress(`${refs.size} stacks as modules of one root: terraform init (${seconds()})`);
    bundle = prepareStackBundle(refs);
    // `plan` validates first, with `terraform validate`'s own checks and messages: one provider start for both.
    progress(`terraform plan of every stack at once (${seconds()})`);
    const result = bundle.plan();
    validation = { valid: result.errors.length === 0, errors: result.errors };
    plans = result.byModule;
    progress(`planned in ${seconds()}`);
  }, BUNDLE_TIMEOUT_MS);

  const moduleOf = (label: string, stack: string): string => {
    const name = labels.get(`${label}\0${stack}`);
    if (!name) throw new Error(`${label} ${stack} is not in this bundle`);
    return name;
  };
  return {
    config: (label) => configs.get(label)!,
    stackJson: (label, stack) => bundle.stacks.get(moduleOf(label, stack))!,
    plan: (label, stack) => plans.get(moduleOf(label, stack)),
    validate: () => validation,
  };
}

/** The errors `terraform validate` found in one stack (module), as readable lines. */
export function validationErrorsOf(result: ValidateResult, label: string, stack: string): string[] {
  const name = moduleName(`${label}-${stack}`);
  return result.errors
    .filter((d) => !d.range || d.range.filename.startsWith(`${name}/`) || d.range.filename.includes(`/${name}/`))
    .map((d) => `${d.range?.filename ?? ''}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}`);
}

/**
 * The plan tests of several configurations in one bundle: per configuration
 * and stack, `terraform validate` passes and the plan creates every declared
 * resource. Returns the bundle for further checks.
 */
export function describeBundledPlans(configurations: readonly PlannedConfiguration[]): BundledPlans {
  const plans = bundlePlans(configurations);
  const cases = configurations.flatMap((c) => c.stacks.map((stack) => [c.label, stack] as const));
  it('every stack passes terraform validate (and plan raises no error)', () => {
    expect(plans.validate().errors.map((d) => `${d.range?.filename ?? ''}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}`)).toEqual([]);
    expect(plans.validate().valid).toBe(true);
  });
  it.each(cases)('%s: %s validates and plans every declared resource', (label, stack) => {
    expect(validationErrorsOf(plans.validate(), label, stack)).toEqual([]);
    expectStackPlan(plans.plan(label, stack), plans.stackJson(label, stack), stack, plans.config(label));
  });
  return plans;
}

/**
 * The configurations the repository ships: `gamemanagement.yaml` (all three
 * stacks) and every example but `examples/minecraft-java.yaml`, which is the
 * shipped file with other comments (checked in examples-covered.test.ts).
 */
export function shippedConfigurations(): PlannedConfiguration[] {
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && f !== 'minecraft-java.yaml').sort();
  return [
    { label: 'gamemanagement.yaml', load: () => loadConfig(join(ROOT, 'gamemanagement.yaml'), {}), stacks: ['bootstrap', 'gamemanagement-worlds', 'gamemanagement'] },
    ...examples.map((f) => ({ label: `examples/${f}`, load: () => loadConfig(join(ROOT, 'examples', f), {}), stacks: ['gamemanagement-worlds', 'gamemanagement'] })),
  ];
}

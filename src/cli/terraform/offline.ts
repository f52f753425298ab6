/**
 * Runs the real Terraform CLI on synthesized stacks, offline: providers come
 * from a local filesystem mirror (linked, not copied), credentials are fake,
 * the S3 backend is overridden by a local one, and cross-stack remote state
 * reads a local state file with plausible outputs. A missing Terraform or
 * mirror is an error that says what to install.
 *
 * Used by `npm run validate` (init + validate of `cdktf.out`) and by the
 * tests in `__tests__/terraform/` (validate + plan). Plain Node: no jest.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const AWS_PROVIDER_VERSION = '5.100.0';
export const TERRAFORM_MIN_VERSION = '1.11';
const PROVIDER_DIR = join('registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION);

/**
 * A mirror in either layout Terraform reads: unpacked (`…/aws/5.100.0/<os>_<arch>/`, what a plugin
 * cache holds) or packed (`…/aws/terraform-provider-aws_5.100.0_<os>_<arch>.zip`, what
 * `terraform providers mirror` writes).
 */
function hasProvider(dir: string): boolean {
  if (existsSync(join(dir, PROVIDER_DIR))) return true;
  const packed = join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  try {
    return readdirSync(packed).some((f) => f.startsWith(`terraform-provider-aws_${AWS_PROVIDER_VERSION}_`) && f.endsWith('.zip'));
  } catch {
    return false;
  }
}

/** Where the hashicorp/aws provider mirror is: `TF_PLUGIN_MIRROR`, Terraform's implied mirror folders, or a shallow search. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TF_PLUGIN_MIRROR;
  if (explicit) {
    if (hasProvider(explicit)) return explicit;
    throw new Error(`TF_PLUGIN_MIRROR=${explicit} has no hashicorp/aws ${AWS_PROVIDER_VERSION}; run \`terraform providers mirror ${explicit}\` in a synthesized stack on a machine with internet`);
  }
  const implied = [
    env.XDG_DATA_HOME && join(env.XDG_DATA_HOME, 'terraform', 'plugins'),
    join(homedir(), '.local', 'share', 'terraform', 'plugins'),
    join(homedir(), '.terraform.d', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((d): d is string => Boolean(d));
  for (const dir of implied) if (hasProvider(dir)) return dir;
  // Images often put the mirror one or two folders below /opt or /usr/local.
  for (const root of ['/opt', '/usr/local', '/srv']) {
    if (!existsSync(root)) continue;
    for (const a of readdirSync(root)) {
      const first = join(root, a);
      if (hasProvider(first)) return first;
      try {
        for (const b of readdirSync(first)) if (hasProvider(join(first, b))) return join(first, b);
      } catch { /* not a folder */ }
    }
  }
  throw new Error(
    `No local mirror of the hashicorp/aws ${AWS_PROVIDER_VERSION} provider found. Create one with ` +
    `\`terraform providers mirror <dir>\` (needs internet once) and set TF_PLUGIN_MIRROR=<dir>.`,
  );
}

export function terraformVersion(): string {
  try {
    const out = execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', env: terraformEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    throw new Error(`terraform is not on PATH: install Terraform ${TERRAFORM_MIN_VERSION} or newer (https://developer.hashicorp.com/terraform/install)`);
  }
}

/** True when `version` (such as "1.11.4") is at least TERRAFORM_MIN_VERSION. */
export function terraformIsRecentEnough(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  const [minMajor, minMinor] = TERRAFORM_MIN_VERSION.split('.').map(Number);
  return major! > minMajor! || (major === minMajor && minor! >= minMinor!);
}

/** Terraform's environment for offline runs: no version check, no prompts, and `cliConfig` (the mirror) when given. */
function terraformEnv(cliConfig?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  else delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/** Writes a Terraform CLI configuration installing hashicorp providers from `mirror` only; returns its path. */
export function writeMirrorCliConfig(dir: string, mirror: string = findProviderMirror()): string {
  const cliConfig = join(dir, 'terraform.rc');
  writeFileSync(cliConfig, [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
    '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }',
    '}',
    '',
  ].join('\n'));
  return cliConfig;
}

/** Runs terraform in `dir`; a failure throws with Terraform's own output. */
export function runTerraform(dir: string, cliConfig: string, args: string[]): string {
  try {
    return execFileSync('terraform', args, { cwd: dir, env: terraformEnv(cliConfig), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw Object.assign(new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${err.stderr ?? err.message}\n${err.stdout ?? ''}`), { stdout: err.stdout });
  }
}

const FAKE_ACCOUNT = '123456789012';

/** A plausible value for a cross-stack output, from the expression that produces it. */
function fakeOutputValue(expression: string, region: string): string {
  const m = /\$\{([a-z0-9_]+)\.([^.]+)\.([a-z_]+)\}/.exec(expression);
  const [type, attr] = m ? [m[1]!, m[3]!] : ['', ''];
  if (type === 'aws_efs_file_system') return attr === 'arn' ? `arn:aws:elasticfilesystem:${region}:${FAKE_ACCOUNT}:file-system/fs-0123456789abcdef0` : 'fs-0123456789abcdef0';
  if (type === 'aws_efs_access_point') return attr === 'arn' ? `arn:aws:elasticfilesystem:${region}:${FAKE_ACCOUNT}:access-point/fsap-0123456789abcdef0` : 'fsap-0123456789abcdef0';
  if (type === 'aws_iam_role') return attr === 'arn' ? `arn:aws:iam::${FAKE_ACCOUNT}:role/fake` : 'fake';
  return 'fake';
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Terraform JSON is untyped here

const FAKE_PROVIDER = {
  access_key: 'AKIAFAKEFAKEFAKEFAKE',
  secret_key: 'fake-secret-key-for-offline-plan',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

export interface StackRef {
  /** Synthesized stacks folder (`cdktf.out/stacks`). */
  readonly stacksDir: string;
  readonly stack: string;
  readonly region: string;
}

/**
 * Copies one synthesized stack into `dir` with an override file: fake
 * credentials, a local backend, and local state files standing in for the
 * stacks it reads outputs of. Returns the stack's JSON.
 */
function copyStackOffline(o: StackRef, dir: string): Json {
  const json = JSON.parse(readFileSync(join(o.stacksDir, o.stack, 'cdk.tf.json'), 'utf8')) as Json;
  // The whole stack folder: the functions' zips (assets) are read by plan.
  cpSync(join(o.stacksDir, o.stack), dir, { recursive: true, filter: (src) => !src.includes(`${join(o.stack, '.terraform')}`) });
  const providers = (json.provider?.aws ?? []) as Json[];
  const override: Json = {
    terraform: { backend: { local: { path: join(dir, 'terraform.tfstate') } } },
    provider: { aws: providers.map((p) => ({ ...(p.alias ? { alias: p.alias } : {}), ...FAKE_PROVIDER })) },
  };
  const remote = (json.data?.terraform_remote_state ?? {}) as Json;
  if (Object.keys(remote).length > 0) {
    override.data = { terraform_remote_state: {} };
    for (const name of Object.keys(remote)) {
      const producer = name.replace(/^cross-stack-reference-input-/, '');
      const producerJson = JSON.parse(readFileSync(join(o.stacksDir, producer, 'cdk.tf.json'), 'utf8')) as Json;
      const outputs = Object.fromEntries(Object.entries((producerJson.output ?? {}) as Json)
        .map(([key, out]) => [key, { value: fakeOutputValue(String(out.value), o.region), type: 'string' }]));
      const statePath = join(dir, `${producer}.tfstate`);
      writeFileSync(statePath, JSON.stringify({ version: 4, terraform_version: '1.11.0', serial: 1, lineage: 'offline', outputs, resources: [] }));
      override.data.terraform_remote_state[name] = { backend: 'local', config: { path: statePath } };
    }
  }
  writeFileSync(join(dir, 'offline_override.tf.json'), JSON.stringify(override, null, 2));
  return json;
}

export interface PreparedStack {
  readonly dir: string;
  readonly json: Json;
  run(args: string[]): string;
  /** `terraform plan -json`, which validates first (see `PlanResult`). */
  plan(): PlanResult;
}

/** Copies a synthesized stack into a fresh folder with the offline overrides, and `terraform init`s it. */
export function prepareStack(o: StackRef): PreparedStack {
  const dir = mkdtempSync(join(tmpdir(), `gm-tf-${o.stack}-`));
  const json = copyStackOffline(o, dir);
  const cliConfig = writeMirrorCliConfig(dir);
  const run = (args: string[]): string => runTerraform(dir, cliConfig, args);
  mkdirSync(join(dir, '.terraform'), { recursive: true });
  run(['init', '-input=false', '-no-color']);
  return { dir, json, run, plan: () => planJson(dir, cliConfig) };
}

export interface PlanSummary {
  readonly creates: number;
  readonly byType: Record<string, number>;
}

/** A diagnostic of Terraform's `-json` output (validate's report and plan's UI stream share the shape). */
export interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly range?: { readonly filename: string };
}

export interface PlanResult {
  /**
   * Error diagnostics. `plan` validates the whole configuration before it
   * plans, with the same checks and messages as `terraform validate`, so one
   * run (one provider start) answers both; none means it validated.
   */
  readonly errors: readonly Diagnostic[];
  /** What each module creates, `''` for the root; empty when it did not validate. */
  readonly byModule: ReadonlyMap<string, PlanSummary>;
}

/** Reads `plan -json`'s UI stream: the errors, and the creates in all, by resource type, per module. */
function readPlanStream(output: string): PlanResult {
  const byModule = new Map<string, { creates: number; byType: Record<string, number> }>();
  const errors: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    if (!line) continue;
    const message = JSON.parse(line) as Json;
    if (message.type === 'diagnostic' && message.diagnostic?.severity === 'error') errors.push(message.diagnostic as Diagnostic);
    if (message.type !== 'planned_change' || message.change?.action !== 'create') continue;
    const resource = message.change.resource as Json;
    const module = /^module\.([^.[]+)/.exec(String(resource.module ?? ''))?.[1] ?? '';
    const summary = byModule.get(module) ?? { creates: 0, byType: {} };
    const type = String(resource.resource_type);
    summary.creates += 1;
    summary.byType[type] = (summary.byType[type] ?? 0) + 1;
    byModule.set(module, summary);
  }
  return { errors, byModule };
}

/**
 * `terraform plan -json` in `dir`. The machine-readable UI stream carries
 * every planned change, so no second provider start (`terraform show -json`)
 * is needed to read them. A plan that fails on the configuration is returned
 * with its diagnostics; any other failure throws with Terraform's output.
 */
function planJson(dir: string, cliConfig: string, extraArgs: readonly string[] = []): PlanResult {
  const args = ['plan', '-input=false', '-no-color', '-lock=false', '-json', ...extraArgs];
  try {
    return readPlanStream(runTerraform(dir, cliConfig, args));
  } catch (e) {
    const stdout = (e as { stdout?: string }).stdout ?? '';
    let result: PlanResult | undefined;
    try {
      result = stdout ? readPlanStream(stdout) : undefined;
    } catch {
      // A stream cut short (Terraform crashed or was killed): Terraform's own output says more.
      throw e;
    }
    if (result && result.errors.length > 0) return result;
    throw e;
  }
}

/** The plan of one prepared stack; throws with Terraform's errors when it does not validate. */
export function planStack(stack: PreparedStack): PlanSummary {
  const result = stack.plan();
  if (result.errors.length > 0) {
    throw new Error(`terraform plan of ${stack.dir} found errors:\n${result.errors.map((d) => `${d.range?.filename ?? ''}: ${d.summary}${d.detail ? ` — ${d.detail}` : ''}`).join('\n')}`);
  }
  return result.byModule.get('') ?? { creates: 0, byType: {} };
}

/** Resources a synthesized stack declares (one each: no count/for_each is synthesized). */
export function declaredResources(json: Json): number {
  return Object.values((json.resource ?? {}) as Json).reduce((n, byName) => n + Object.keys(byName as Json).length, 0);
}

/**
 * Several stacks (of several configurations) as modules of one Terraform
 * root: one `init` and one `plan` (which validates) for all of them, so the
 * provider starts twice instead of twice per stack. Each module
 * is its stack's folder with the same offline overrides as `prepareStack`.
 */
export interface StackBundle {
  readonly dir: string;
  /** Each stack's JSON, by module name. */
  readonly stacks: ReadonlyMap<string, Json>;
  run(args: string[]): string;
  /** `terraform plan` of every module at once: its errors, and what each module creates. */
  plan(): PlanResult;
}

/** A module name Terraform accepts, from any label. */
export function moduleName(label: string): string {
  return `m_${label.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function prepareStackBundle(stacks: ReadonlyMap<string, StackRef>): StackBundle {
  const dir = mkdtempSync(join(tmpdir(), 'gm-tf-bundle-'));
  const jsons = new Map<string, Json>();
  const modules: Json = {};
  for (const [name, ref] of stacks) {
    const moduleDir = join(dir, name);
    mkdirSync(moduleDir);
    jsons.set(name, copyStackOffline(ref, moduleDir));
    modules[name] = { source: `./${name}` };
    // Lambda code paths (`assets/…`) are relative to Terraform's working folder, the root:
    // every module's assets are gathered there (their folders are named by content hash).
    const assets = join(moduleDir, 'assets');
    if (existsSync(assets)) {
      for (const asset of readdirSync(assets)) {
        const target = join(dir, 'assets', asset);
        if (existsSync(target)) continue;
        mkdirSync(join(dir, 'assets'), { recursive: true });
        symlinkSync(join(assets, asset), target);
      }
    }
  }
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ module: modules }, null, 2));
  const cliConfig = writeMirrorCliConfig(dir);
  const run = (args: string[]): string => runTerraform(dir, cliConfig, args);
  run(['init', '-input=false', '-no-color']);
  return {
    dir,
    stacks: jsons,
    run,
    plan: () => planJson(dir, cliConfig, ['-parallelism=20']),
  };
}

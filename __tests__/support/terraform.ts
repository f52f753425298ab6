/**
 * Runs the real Terraform CLI on synthesized stacks, offline: providers come
 * from a local filesystem mirror, credentials are fake, the S3 backend is
 * overridden by a local one, and cross-stack remote state reads a local
 * state file with plausible outputs. Missing Terraform or mirror is an error
 * that says what to install — these tests never skip.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const AWS_PROVIDER_VERSION = '5.100.0';
const PROVIDER_DIR = join('registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION);

function hasProvider(dir: string): boolean {
  return existsSync(join(dir, PROVIDER_DIR));
}

/** Where the hashicorp/aws provider mirror is: `TF_PLUGIN_MIRROR`, Terraform's implied mirror folders, or a shallow search. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TF_PLUGIN_MIRROR;
  if (explicit) {
    if (hasProvider(explicit)) return explicit;
    throw new Error(`TF_PLUGIN_MIRROR=${explicit} has no ${PROVIDER_DIR}; run \`terraform providers mirror ${explicit}\` in a synthesized stack on a machine with internet`);
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
    const out = execFileSync('terraform', ['version', '-json'], { encoding: 'utf8' });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    throw new Error('terraform is not on PATH: install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install)');
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

export interface PreparedStack {
  readonly dir: string;
  readonly json: Json;
  run(args: string[]): string;
}

export interface PrepareOptions {
  /** Synthesized stacks folder (`cdktf.out/stacks`). */
  readonly stacksDir: string;
  readonly stack: string;
  readonly region: string;
}

/** Copies a synthesized stack into a fresh folder with the offline overrides, and `terraform init`s it. */
export function prepareStack(o: PrepareOptions): PreparedStack {
  const json = JSON.parse(readFileSync(join(o.stacksDir, o.stack, 'cdk.tf.json'), 'utf8')) as Json;
  const dir = mkdtempSync(join(tmpdir(), `gm-tf-${o.stack}-`));
  // The whole stack folder: the functions' zips (assets) are read by plan.
  cpSync(join(o.stacksDir, o.stack), dir, { recursive: true });
  const mirror = findProviderMirror();
  const cliConfig = join(dir, 'terraform.rc');
  writeFileSync(cliConfig, [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
    '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }',
    '}',
    '',
  ].join('\n'));

  const fakeProvider = {
    access_key: 'AKIAFAKEFAKEFAKEFAKE',
    secret_key: 'fake-secret-key-for-offline-plan',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
  const providers = (json.provider?.aws ?? []) as Json[];
  const override: Json = {
    terraform: { backend: { local: { path: join(dir, 'terraform.tfstate') } } },
    provider: { aws: providers.map((p) => ({ ...(p.alias ? { alias: p.alias } : {}), ...fakeProvider })) },
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

  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const run = (args: string[]): string => {
    try {
      return execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${err.stderr ?? ''}\n${err.stdout ?? ''}`);
    }
  };
  mkdirSync(join(dir, '.terraform'), { recursive: true });
  run(['init', '-input=false', '-no-color']);
  return { dir, json, run };
}

export interface PlanSummary {
  readonly creates: number;
  readonly byType: Record<string, number>;
}

export function planStack(stack: PreparedStack): PlanSummary {
  // The machine-readable UI stream of `plan -json` carries every planned change, so no
  // second provider start (`terraform show -json`) is needed to read them.
  const lines = stack.run(['plan', '-input=false', '-no-color', '-lock=false', '-json']).split('\n').filter(Boolean);
  const byType: Record<string, number> = {};
  let creates = 0;
  for (const line of lines) {
    const message = JSON.parse(line) as Json;
    if (message.type !== 'planned_change' || message.change?.action !== 'create') continue;
    const type = String(message.change.resource.resource_type);
    creates += 1;
    byType[type] = (byType[type] ?? 0) + 1;
  }
  return { creates, byType };
}

/** Resources a synthesized stack declares (one each: no count/for_each is synthesized). */
export function declaredResources(json: Json): number {
  return Object.values((json.resource ?? {}) as Json).reduce((n, byName) => n + Object.keys(byName as Json).length, 0);
}

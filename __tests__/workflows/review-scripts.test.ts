/**
 * The shell steps of the plan review, run for real: Terraform plans stacks
 * that need no provider download (terraform_data, local backend), `gm audit`
 * and `gm cost` are stood in for by an `npm` on PATH that records its
 * arguments, and the verdict reads what those steps left behind.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProviderMirror } from '../../src/cli/terraform/offline';
import { SCRIPTS_DIR, run } from './support/repo-files';

const script = (name: string) => join(SCRIPTS_DIR, name);
/** Where Terraform's local backend records who holds the state lock. */
const LOCK_INFO = '.terraform.tfstate.lock.info';
const TERRAFORM_ENV = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gm-review-scripts-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A synthesized-looking project folder with the given stacks' cdk.tf.json. */
function projectWith(name: string, stacks: Record<string, object>): string {
  const project = join(scratch, name);
  mkdirSync(project, { recursive: true });
  for (const [stack, json] of Object.entries(stacks)) {
    mkdirSync(join(project, 'cdktf.out', 'stacks', stack), { recursive: true });
    writeFileSync(join(project, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
  }
  return project;
}

/** A stack with one resource of Terraform's built-in provider: planning it needs no download. */
const stackWithOneResource = (input: string) => ({
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  resource: { terraform_data: { marker: { input } } },
});

describe('plan-stacks.sh', () => {
  let project: string;
  let result: ReturnType<typeof run>;
  beforeAll(() => {
    project = projectWith('plan', {
      'gamemanagement-worlds': stackWithOneResource('worlds'),
      // A reference to a resource that does not exist: `terraform plan` refuses it.
      broken: { terraform: { backend: { local: { path: 'terraform.tfstate' } } }, output: { x: { value: '${terraform_data.missing.id}' } } },
      gamemanagement: stackWithOneResource('main'),
    });
    // Where the local backend writes its lock, a folder: taking the lock fails, as for a role that may not write the lock file.
    for (const stack of ['gamemanagement-worlds', 'gamemanagement']) mkdirSync(join(project, 'cdktf.out', 'stacks', stack, LOCK_INFO));
    result = run(script('plan-stacks.sh'), ['.review', 'gamemanagement-worlds', 'broken', 'gamemanagement'], { cwd: project, env: TERRAFORM_ENV });
  });

  it('exits 0 even when a stack fails (the verdict step fails the job, after the comment)', () => {
    expect(result.status).toBe(0);
  });

  it('writes the plan as JSON Terraform can be read from, and as text, for each stack that planned', () => {
    for (const stack of ['gamemanagement-worlds', 'gamemanagement']) {
      expect(readFileSync(join(project, '.review', `${stack}.status`), 'utf8').trim()).toBe('ok');
      const plan = JSON.parse(readFileSync(join(project, '.review', `${stack}.plan.json`), 'utf8')) as { resource_changes: { address: string; change: { actions: string[] } }[] };
      expect(plan.resource_changes.map((rc) => [rc.address, rc.change.actions])).toEqual([['terraform_data.marker', ['create']]]);
      expect(readFileSync(join(project, '.review', `${stack}.plan.txt`), 'utf8')).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    }
  });

  it('marks a failing stack failed, keeps Terraform\'s words, and goes on with the next', () => {
    expect(readFileSync(join(project, '.review', 'broken.status'), 'utf8').trim()).toBe('failed');
    expect(readFileSync(join(project, '.review', 'broken.log'), 'utf8')).toContain('Reference to undeclared resource');
    expect(existsSync(join(project, '.review', 'broken.plan.json'))).toBe(false);
    expect(result.stdout).toContain('::error title=terraform plan broken failed::');
  });

  it('plans without taking the state lock (the plan role may not write the lock file)', () => {
    // Both stacks planned above although their lock cannot be taken; a plan that takes the lock fails there.
    const locked = run('terraform', ['plan', '-input=false', '-no-color'], { cwd: join(project, 'cdktf.out', 'stacks', 'gamemanagement'), env: TERRAFORM_ENV });
    expect(locked.status).toBe(1);
    expect(locked.stderr).toContain('Error acquiring the state lock');
  });

  it('says to synthesize first when a stack is missing', () => {
    const empty = projectWith('empty', {});
    const missing = run(script('plan-stacks.sh'), ['.review', 'gamemanagement'], { cwd: empty, env: TERRAFORM_ENV });
    expect(missing.status).toBe(0);
    expect(readFileSync(join(empty, '.review', 'gamemanagement.status'), 'utf8').trim()).toBe('failed');
    expect(readFileSync(join(empty, '.review', 'gamemanagement.log'), 'utf8')).toContain('run npm run synth first');
  });
});

/**
 * A fake `npm` first on PATH: appends "<cwd> <args>" to calls.log, prints
 * what NPM_OUTPUT_<dir name> holds and exits with NPM_EXIT_<dir name>.
 */
function fakeNpm(): { bin: string; calls: string } {
  const bin = join(scratch, 'fake-bin');
  const calls = join(scratch, 'calls.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'npm'), [
    '#!/usr/bin/env bash',
    `echo "$(basename "$PWD") $*" >>${JSON.stringify(calls)}`,
    'name=$(basename "$PWD")',
    'out="NPM_OUTPUT_${name}"; code="NPM_EXIT_${name}"',
    'printf "%s" "${!out:-}"',
    'echo "messages of $name" >&2',
    'exit "${!code:-0}"',
    '',
  ].join('\n'));
  chmodSync(join(bin, 'npm'), 0o755);
  return { bin, calls };
}

describe('audit.sh', () => {
  it('audits every plan made, as JSON, and records the report and the exit status (1 = high findings)', () => {
    const { bin, calls } = fakeNpm();
    const project = join(scratch, 'head');
    mkdirSync(join(project, '.review'), { recursive: true });
    writeFileSync(join(project, '.review', 'gamemanagement-worlds.plan.json'), '{}');
    writeFileSync(join(project, '.review', 'gamemanagement.plan.json'), '{}');
    const report = JSON.stringify({ findings: [{ rule: 'no-ssh', severity: 'high' }] });
    const result = run(script('audit.sh'), ['.review'], { cwd: project, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NPM_OUTPUT_head: report, NPM_EXIT_head: '1' } });
    expect(result.status).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n').pop()).toBe(
      'head run --silent gm -- audit --plan .review/gamemanagement-worlds.plan.json --plan .review/gamemanagement.plan.json --json',
    );
    expect(readFileSync(join(project, '.review', 'audit.json'), 'utf8')).toBe(report);
    expect(readFileSync(join(project, '.review', 'audit.exit'), 'utf8').trim()).toBe('1');
    expect(readFileSync(join(project, '.review', 'audit.err'), 'utf8')).toBe('messages of head\n');
  });

  it('audits the synthesized stacks alone when nothing was planned (a fork)', () => {
    const { bin, calls } = fakeNpm();
    const project = join(scratch, 'fork');
    mkdirSync(project, { recursive: true });
    const result = run(script('audit.sh'), ['.review'], { cwd: project, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(result.status).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n').pop()).toBe('fork run --silent gm -- audit --json');
    expect(readFileSync(join(project, '.review', 'audit.exit'), 'utf8').trim()).toBe('0');
  });
});

describe('cost.sh', () => {
  it('prices the head here and the base in its own checkout', () => {
    const { bin, calls } = fakeNpm();
    const head = join(scratch, 'costhead');
    const base = join(scratch, 'costbase');
    mkdirSync(head, { recursive: true });
    mkdirSync(join(base, 'node_modules'), { recursive: true });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NPM_OUTPUT_costhead: '{"totals":{"x":2}}', NPM_OUTPUT_costbase: '{"totals":{"x":1}}', NPM_EXIT_costbase: '2' };
    expect(run(script('cost.sh'), ['.review', base], { cwd: head, env }).status).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n').slice(-2)).toEqual(['costhead run --silent gm -- cost --json', 'costbase run --silent gm -- cost --json']);
    expect(readFileSync(join(head, '.review', 'cost-head.json'), 'utf8')).toBe('{"totals":{"x":2}}');
    expect(readFileSync(join(head, '.review', 'cost-base.json'), 'utf8')).toBe('{"totals":{"x":1}}');
    expect(readFileSync(join(head, '.review', 'cost-base.exit'), 'utf8').trim()).toBe('2');
  });

  it('leaves the base out when its checkout did not install', () => {
    const { bin } = fakeNpm();
    const head = join(scratch, 'costhead2');
    mkdirSync(head, { recursive: true });
    const result = run(script('cost.sh'), ['.review', join(scratch, 'nowhere')], { cwd: head, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('no cost to compare with');
    expect(existsSync(join(head, '.review', 'cost-head.exit'))).toBe(true);
    expect(existsSync(join(head, '.review', 'cost-base.exit'))).toBe(false);
  });
});

describe('review-verdict.sh', () => {
  function verdict(files: Record<string, string>): ReturnType<typeof run> {
    const dir = mkdtempSync(join(scratch, 'verdict-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), `${text}\n`);
    return run(script('review-verdict.sh'), [dir, 'gamemanagement-worlds', 'gamemanagement']);
  }

  it('passes when both plans ran and the audit found nothing high', () => {
    const result = verdict({ 'gamemanagement-worlds.status': 'ok', 'gamemanagement.status': 'ok', 'audit.exit': '0' });
    expect({ status: result.status, out: result.stdout }).toEqual({ status: 0, out: '' });
  });

  it('passes when nothing was planned (a fork) and the audit is clean', () => {
    expect(verdict({ 'audit.exit': '0' }).status).toBe(0);
  });

  it('fails on a high audit finding (gm audit exit 1)', () => {
    const result = verdict({ 'gamemanagement-worlds.status': 'ok', 'gamemanagement.status': 'ok', 'audit.exit': '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error title=gm audit::high findings');
  });

  it('fails on a failed plan, naming the stack', () => {
    const result = verdict({ 'gamemanagement-worlds.status': 'ok', 'gamemanagement.status': 'failed', 'audit.exit': '0' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('::error title=plan failed::terraform plan of gamemanagement failed\n');
  });

  it('fails when gm audit did not finish or never ran', () => {
    expect(verdict({ 'audit.exit': '2' }).stdout).toContain('gm audit did not finish (exit 2)');
    expect(verdict({}).status).toBe(1);
  });
});

describe('provider-mirror.sh', () => {
  it('fills a folder the offline Terraform tests accept as TF_PLUGIN_MIRROR', () => {
    // Terraform installs from this machine's mirror here; in GitHub Actions it downloads from the registry.
    const cliConfig = join(scratch, 'terraform.rc');
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(findProviderMirror())}\n  }\n}\n`);
    const target = join(scratch, 'mirror');
    const result = run(script('provider-mirror.sh'), [target], { env: { ...TERRAFORM_ENV, TF_CLI_CONFIG_FILE: cliConfig } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.trim()).toBe(target);
    expect(findProviderMirror({ TF_PLUGIN_MIRROR: target })).toBe(target);
  });

  it('fails, saying so, when the provider cannot be had', () => {
    const cliConfig = join(scratch, 'empty-mirror.rc');
    const emptyMirror = mkdtempSync(join(scratch, 'no-providers-'));
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(emptyMirror)}\n  }\n}\n`);
    const result = run(script('provider-mirror.sh'), [join(scratch, 'mirror2')], { env: { ...TERRAFORM_ENV, TF_CLI_CONFIG_FILE: cliConfig } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('hashicorp/aws');
  });
});

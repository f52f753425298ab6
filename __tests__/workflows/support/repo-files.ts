/**
 * Where the workflows and their scripts live, and small readers the workflow
 * tests share.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const WORKFLOWS_DIR = join(REPO_ROOT, '.github', 'workflows');
export const SCRIPTS_DIR = join(REPO_ROOT, '.github', 'scripts');
export const PLAN_WORKFLOW = join(WORKFLOWS_DIR, 'plan.yml');
export const TEST_WORKFLOW = join(WORKFLOWS_DIR, 'test.yml');

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(WORKFLOWS_DIR, f));
}

export function shellScripts(): string[] {
  return readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.sh')).sort().map((f) => join(SCRIPTS_DIR, f));
}

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
}

export interface Job {
  readonly 'runs-on': string;
  readonly steps: readonly Step[];
  readonly permissions?: Record<string, string>;
}

export interface Workflow {
  readonly name: string;
  /** YAML 1.2 keeps the key `on` a string (YAML 1.1 would read it as true). */
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, 'utf8')) as Workflow;
}

export function allSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => [...job.steps]);
}

/** The step that uses `action` (owner/name, any version); fails the test when there is none. */
export function stepUsing(workflow: Workflow, action: string): Step {
  const step = allSteps(workflow).find((s) => s.uses?.startsWith(`${action}@`));
  if (!step) throw new Error(`no step uses ${action}`);
  return step;
}

/** Index of the first step whose name contains `text`; fails the test when there is none. */
export function stepIndex(workflow: Workflow, text: string): number {
  const i = allSteps(workflow).findIndex((s) => s.name?.includes(text));
  if (i === -1) throw new Error(`no step named like "${text}"`);
  return i;
}

export function isInstalled(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, [...args], { encoding: 'utf8', cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, input: options.input, timeout: 120_000 });
}

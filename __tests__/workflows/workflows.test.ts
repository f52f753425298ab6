/**
 * The GitHub Actions workflows: valid for the workflow linter
 * (@action-validator/cli, which checks them against GitHub's workflow
 * schema), and doing what the plan review and the test run promise. Their
 * shell — scripts and `run:` blocks — passes shellcheck.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AWS_PROVIDER_VERSION } from '../../src/cli/terraform/offline';
import {
  PLAN_WORKFLOW,
  REPO_ROOT,
  SCRIPTS_DIR,
  TEST_WORKFLOW,
  allSteps,
  isInstalled,
  readWorkflow,
  run,
  shellScripts,
  stepIndex,
  stepUsing,
  workflowFiles,
  type Workflow,
} from './support/repo-files';

const LINTER = join(REPO_ROOT, 'node_modules', '.bin', 'action-validator');

describe('the workflow linter', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'gm-workflows-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds both workflows', () => {
    expect(workflowFiles().map((f) => basename(f))).toEqual(['plan.yml', 'test.yml']);
  });

  it.each(workflowFiles().map((f) => [basename(f), f]))('accepts %s', (_name, file) => {
    const result = run(LINTER, [file]);
    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it('rejects a copy with a misspelt job key (so it really checks)', () => {
    const broken = join(scratch, 'broken.yml');
    const text = readFileSync(TEST_WORKFLOW, 'utf8');
    expect(text).toContain('    runs-on: ubuntu-latest');
    writeFileSync(broken, text.replace('    runs-on: ubuntu-latest', '    runs-onn: ubuntu-latest'));
    const result = run(LINTER, [broken]);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain("Additional property 'runs-onn' is not allowed");
  });

  it('rejects a copy with a step that both runs and uses an action', () => {
    const broken = join(scratch, 'plan.yml');
    copyFileSync(PLAN_WORKFLOW, broken);
    const text = readFileSync(broken, 'utf8');
    writeFileSync(broken, text.replace('      - name: Synthesize\n', '      - name: Synthesize\n        uses: actions/checkout@v4\n'));
    expect(readFileSync(broken, 'utf8')).not.toBe(text);
    expect(run(LINTER, [broken]).status).toBe(1);
  });
});

describe('actions', () => {
  it.each(workflowFiles().map((f) => [basename(f), f]))('in %s are pinned to a full commit SHA with the version named', (_name, file) => {
    const uses = readFileSync(file, 'utf8').split('\n').filter((line) => /^\s*(- )?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
  });
});

describe('plan review workflow', () => {
  let wf: Workflow;
  beforeAll(() => {
    wf = readWorkflow(PLAN_WORKFLOW);
  });

  it('runs on pull requests', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
  });

  it('may ask for an OIDC token, read the code and comment, nothing more', () => {
    expect(wf.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
  });

  it('reads the configuration named by GM_CONFIG, gamemanagement.yaml by default', () => {
    expect(wf.env?.GM_CONFIG).toBe("${{ vars.GM_CONFIG || 'gamemanagement.yaml' }}");
  });

  it('assumes the plan role from repository variables, only when it may plan', () => {
    const step = stepUsing(wf, 'aws-actions/configure-aws-credentials');
    expect(step.with).toMatchObject({ 'role-to-assume': '${{ vars.GM_PLAN_ROLE_ARN }}', 'aws-region': '${{ vars.GM_REGION }}' });
    expect(step.if).toBe("steps.gate.outputs.plan == 'true'");
  });

  it('plans nothing for a fork (no OIDC token) and says why in the job summary', () => {
    const gate = allSteps(wf).find((s) => s.id === 'gate')!;
    expect(gate.env).toMatchObject({ HEAD_REPO: '${{ github.event.pull_request.head.repo.full_name }}', THIS_REPO: '${{ github.repository }}' });
    expect(gate.run).toContain('forks get no OIDC token');
    expect(gate.run).toContain('GITHUB_STEP_SUMMARY');
    expect(allSteps(wf).find((s) => s.name === 'Terraform plan')?.if).toBe("steps.gate.outputs.plan == 'true'");
  });

  it('uses Terraform 1.11 without the wrapper (whose lines would spoil the plan JSON)', () => {
    expect(stepUsing(wf, 'hashicorp/setup-terraform').with).toEqual({ terraform_version: '1.11.x', terraform_wrapper: false });
  });

  it('installs and synthesizes, then plans the two deployed stacks (not bootstrap) read-only', () => {
    expect(wf.env?.STACKS).toBe('gamemanagement-worlds gamemanagement');
    const runs = allSteps(wf).map((s) => s.run ?? '');
    expect(runs.indexOf('npm ci --no-audit --no-fund')).toBeLessThan(runs.indexOf('npm run synth'));
    expect(stepIndex(wf, 'Synthesize')).toBeLessThan(stepIndex(wf, 'Terraform plan'));
    const script = readFileSync(join(SCRIPTS_DIR, 'plan-stacks.sh'), 'utf8');
    expect(script).toContain('init -input=false -no-color');
    expect(script).toContain('plan -lock=false -input=false -no-color -out=plan.out');
    expect(script).toContain('show -json plan.out');
  });

  it('calls gm audit on the plans as JSON and gm cost as JSON on head and base', () => {
    const audit = readFileSync(join(SCRIPTS_DIR, 'audit.sh'), 'utf8');
    expect(audit).toContain('npm run --silent gm -- audit "${args[@]}" --json');
    expect(audit).toContain('args+=(--plan "$plan")');
    const cost = readFileSync(join(SCRIPTS_DIR, 'cost.sh'), 'utf8');
    expect(cost).toContain('npm run --silent gm -- cost --json');
    expect(allSteps(wf).filter((s) => s.uses?.startsWith('actions/checkout@')).map((s) => s.with?.ref)).toEqual([undefined, '${{ github.event.pull_request.base.sha }}']);
    expect(allSteps(wf).find((s) => s.name?.startsWith('gm cost'))?.run).toBe('.github/scripts/cost.sh "$REVIEW_DIR" ../base');
  });

  it('keeps one comment, found by its hidden marker', () => {
    const post = stepUsing(wf, 'actions/github-script');
    expect(String(post.with?.script)).toContain("require('./head/.github/scripts/upsert-comment.cjs')");
    expect(readFileSync(join(SCRIPTS_DIR, 'upsert-comment.cjs'), 'utf8')).toContain("const MARKER = '<!-- gamemanagement-plan -->'");
    expect(readFileSync(join(SCRIPTS_DIR, 'plan-comment.mjs'), 'utf8')).toContain("export const MARKER = '<!-- gamemanagement-plan -->'");
  });

  it('fails the job only after the comment is posted, on a failed plan or audit exit 1', () => {
    const steps = allSteps(wf);
    const verdict = stepIndex(wf, 'Fail on');
    expect(verdict).toBe(steps.length - 1);
    expect(stepIndex(wf, 'Post or update the comment')).toBeLessThan(verdict);
    expect(steps[verdict]!.run).toBe('.github/scripts/review-verdict.sh "$REVIEW_DIR" $STACKS');
    // Everything before the verdict keeps going when a plan or the audit fails, so the comment is always written.
    for (const name of ['Terraform plan', 'gm audit', 'gm cost']) expect(steps[stepIndex(wf, name)]!.run).toMatch(/^\.github\/scripts\/\S+\.sh /);
  });
});

describe('test workflow', () => {
  let wf: Workflow;
  beforeAll(() => {
    wf = readWorkflow(TEST_WORKFLOW);
  });

  it('runs on pushes (and pull requests)', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
  });

  it('sets up Node 20 and Terraform 1.11, then runs npm ci and npm test', () => {
    expect(stepUsing(wf, 'actions/setup-node').with?.['node-version']).toBe(20);
    expect(stepUsing(wf, 'hashicorp/setup-terraform').with?.terraform_version).toBe('1.11.x');
    const runs = allSteps(wf).map((s) => s.run?.trim());
    expect(runs.slice(-2)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it('gives the Terraform tests their provider mirror through TF_PLUGIN_MIRROR, at the pinned version', () => {
    expect(wf.env?.AWS_PROVIDER_VERSION).toBe(AWS_PROVIDER_VERSION);
    const mirror = allSteps(wf).find((s) => s.run?.includes('provider-mirror.sh'));
    expect(mirror?.run).toContain('echo "TF_PLUGIN_MIRROR=$mirror" >>"$GITHUB_ENV"');
    expect(stepIndex(wf, 'Provider mirror')).toBeLessThan(allSteps(wf).findIndex((s) => s.run === 'npm test'));
  });

  it('may only read the repository', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
  });
});

/** A `run:` block as a script shellcheck can read: expressions become variables, the runner's variables are declared. */
function runBlockScript(block: string): string {
  return ['#!/usr/bin/env bash', ': "${GITHUB_OUTPUT:?}" "${GITHUB_ENV:?}" "${GITHUB_STEP_SUMMARY:?}" "${RUNNER_TEMP:?}"', block.replace(/\$\{\{[^}]*\}\}/g, '"$GH_EXPRESSION"')].join('\n');
}

const hasShellcheck = isInstalled('shellcheck');
const withShellcheck = hasShellcheck ? describe : describe.skip;
if (!hasShellcheck) {
  // Said out loud so a run without shellcheck is not mistaken for a clean one.
  console.warn('shellcheck is not installed: the shell checks of the workflows are skipped');
}

withShellcheck(`shellcheck${hasShellcheck ? '' : ' (SKIPPED: shellcheck not installed)'}`, () => {
  it.each(shellScripts().map((f) => [basename(f), f]))('passes %s', (_name, file) => {
    const result = run('shellcheck', ['--severity=style', file]);
    expect({ status: result.status, output: result.stdout }).toEqual({ status: 0, output: '' });
  });

  it('passes every run: block of the workflows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-run-blocks-'));
    try {
      const files = workflowFiles().flatMap((wfFile) =>
        allSteps(readWorkflow(wfFile)).filter((s) => s.run).map((s, i) => {
          const path = join(dir, `${basename(wfFile, '.yml')}-${i}.sh`);
          writeFileSync(path, runBlockScript(s.run!));
          return path;
        }),
      );
      expect(files.length).toBeGreaterThan(8);
      // SC2086: $STACKS is split into words on purpose (one argument per stack).
      const result = run('shellcheck', ['--severity=style', '--exclude=SC2086', ...files]);
      expect({ status: result.status, output: result.stdout }).toEqual({ status: 0, output: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a real mistake (so a clean result means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-shellcheck-'));
    try {
      const bad = join(dir, 'bad.sh');
      writeFileSync(bad, '#!/usr/bin/env bash\nfor f in $(ls *.json); do echo $f; done\n');
      expect(run('shellcheck', [bad]).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The review comment the plan workflow posts, written by
 * `.github/scripts/plan-comment.mjs` from the files the earlier steps leave:
 * Terraform's counts per stack, the diffs folded away and cut to GitHub's
 * comment limit, `gm audit`'s findings and `gm cost`'s change against the base.
 *
 * Plan fixtures follow Terraform's JSON output format
 * (https://developer.hashicorp.com/terraform/internals/json-format:
 * `resource_changes[].change.actions`, a replacement as ["delete","create"]).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTS_DIR, run } from './support/repo-files';

const MARKER = '<!-- gamemanagement-plan -->';
const COMMENT_LIMIT = 65536;
const STACKS = ['gamemanagement-worlds', 'gamemanagement'];

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gm-plan-comment-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `files` into a fresh folder and returns the comment written from it. */
function comment(files: Record<string, string | object>, env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(scratch, 'review-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  const result = run(process.execPath, [join(SCRIPTS_DIR, 'plan-comment.mjs'), dir, ...STACKS], { env: { PATH: process.env.PATH, ...env } });
  if (result.status !== 0) throw new Error(`plan-comment.mjs exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function change(address: string, actions: string[]) {
  const [type, name] = address.split('.');
  return { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions, before: {}, after: {}, after_unknown: {} } };
}

const planJson = (...changes: ReturnType<typeof change>[]) => ({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: changes });

const MAIN_PLAN = planJson(
  change('aws_lambda_function.waker', ['update']),
  change('aws_route53_record.mc_srv', ['create']),
  change('aws_ssm_parameter.mc_state', ['delete', 'create']),
  change('aws_sns_topic.old', ['delete']),
  change('aws_vpc.main', ['no-op']),
  change('data.aws_caller_identity.current', ['read']),
);

const MAIN_TEXT = [
  'Terraform will perform the following actions:',
  '',
  '  # aws_lambda_function.waker will be updated in-place',
  '  ~ resource "aws_lambda_function" "waker" {',
  '      ~ source_code_hash = "abc" -> "def"',
  '    }',
  '',
  '  # aws_route53_record.mc_srv will be created',
  '  + resource "aws_route53_record" "mc_srv" {',
  '      + name = "_minecraft._tcp.mc.example.com"',
  '    }',
  '',
  '  # aws_sns_topic.old will be destroyed',
  '  - resource "aws_sns_topic" "old" {',
  '    }',
  '',
  'Plan: 2 to add, 1 to change, 2 to destroy.',
  '',
].join('\n');

const CLEAN_AUDIT = { findings: [] };
/** `gm cost --json`'s totals of a deployment idling at $0.96. */
const IDLE_096 = { totals: { idleMonth: { listUsd: 0.96, afterFreeTierUsd: 0.96, listComplete: true, afterFreeTierComplete: true } } };

describe('the stacks', () => {
  let text: string;
  beforeAll(() => {
    text = comment({
      'gamemanagement-worlds.status': 'ok\n',
      'gamemanagement-worlds.plan.json': planJson(change('aws_efs_file_system.mc', ['no-op'])),
      'gamemanagement-worlds.plan.txt': 'No changes. Your infrastructure matches the configuration.\n',
      'gamemanagement.status': 'ok\n',
      'gamemanagement.plan.json': MAIN_PLAN,
      'gamemanagement.plan.txt': MAIN_TEXT,
      'audit.exit': '0\n',
      'audit.json': CLEAN_AUDIT,
    }, { HEAD_SHA: '0123456789abcdef0123456789abcdef01234567', BASE_SHA: 'fedcba9876543210fedcba9876543210fedcba98', GM_CONFIG: 'gamemanagement.yaml' });
  });

  it('starts with the hidden marker the workflow finds its comment by', () => {
    expect(text.split('\n')[0]).toBe(MARKER);
  });

  it('counts changes as terraform plan does: a replacement adds one and destroys one; reads and no-ops are not changes', () => {
    expect(text).toContain('| `gamemanagement` | 2 to add, 1 to change, 2 to destroy (1 replaced) |');
    expect(text).toContain('| `gamemanagement-worlds` | No changes. |');
  });

  it('folds the diff of a changed stack away, signs in the first column so GitHub colours them', () => {
    expect(text).toContain('<details><summary>gamemanagement: 2 to add, 1 to change, 2 to destroy (1 replaced)</summary>');
    expect(text).toContain('```diff\n');
    expect(text).toContain('!   resource "aws_lambda_function" "waker" {');
    expect(text).toContain('+   resource "aws_route53_record" "mc_srv" {');
    expect(text).toContain('-   resource "aws_sns_topic" "old" {');
    expect(text).toContain('!       source_code_hash = "abc" -> "def"');
  });

  it('shows no diff for a stack without changes', () => {
    expect(text).not.toContain('<summary>gamemanagement-worlds');
  });

  it('names the commits and the configuration', () => {
    expect(text).toContain('commit `0123456` · base `fedcba9` · configuration `gamemanagement.yaml`');
  });
});

describe('a failed plan', () => {
  it('is marked, with the end of its log, where Terraform says why', () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i}`).concat(['Error: No valid credential sources found']).join('\n');
    const text = comment({ 'gamemanagement-worlds.status': 'ok', 'gamemanagement-worlds.plan.json': planJson(), 'gamemanagement.status': 'failed', 'gamemanagement.log': log });
    expect(text).toContain('| `gamemanagement` | :x: plan failed |');
    expect(text).toContain('<details><summary>gamemanagement: plan failed (last lines of the log)</summary>');
    expect(text).toContain('Error: No valid credential sources found');
    expect(text).not.toContain('line 10\n');
    expect(text).toContain('line 99\n');
  });
});

describe('a plan that was not made (fork, or no role configured)', () => {
  it('says why, and lists the stacks as not planned', () => {
    const text = comment({ 'audit.exit': '0', 'audit.json': CLEAN_AUDIT }, { PLAN_SKIPPED: 'Plan skipped: pull requests from forks get no OIDC token.' });
    expect(text).toContain(':information_source: Plan skipped: pull requests from forks get no OIDC token.');
    expect(text).toContain('| `gamemanagement-worlds` | not planned |');
    expect(text).toContain('| `gamemanagement` | not planned |');
    expect(text).toContain(':white_check_mark: no high finding (0 high, 0 medium, 0 low).');
  });
});

describe('gm audit', () => {
  const findings = [
    { rule: 'log-retention', severity: 'low', title: 'Log group keeps logs forever', resource: 'aws_cloudwatch_log_group.x', detail: 'retention_in_days unset', game: null },
    { rule: 'no-ssh', severity: 'high', title: 'SSH open to the world', resource: 'aws_vpc_security_group_ingress_rule.mc_22', detail: '0.0.0.0/0 on 22/tcp', game: 'mc' },
    { rule: 'imds', severity: 'medium', title: 'IMDS hop limit | above 1', resource: 'aws_launch_template.mc', detail: 'hop limit 2', game: 'mc' },
  ];

  it('lists the findings, high first, and says the check fails on exit 1', () => {
    const text = comment({ 'audit.exit': '1', 'audit.json': { findings } });
    expect(text).toContain(':x: high findings: the check fails (1 high, 1 medium, 1 low).');
    const rows = text.split('\n').filter((line) => /^\| (high|medium|low) \|/.test(line));
    expect(rows).toEqual([
      '| high | no-ssh | aws_vpc_security_group_ingress_rule.mc_22 | SSH open to the world: 0.0.0.0/0 on 22/tcp |',
      '| medium | imds | aws_launch_template.mc | IMDS hop limit \\| above 1: hop limit 2 |',
      '| low | log-retention | aws_cloudwatch_log_group.x | Log group keeps logs forever: retention_in_days unset |',
    ]);
  });

  it('counts every finding of gm audit --json once, the shared ones (no game) too, not the per-game copies', () => {
    const report = { games: [{ game: 'mc', findings: [findings[1]] }], shared: { findings: [findings[0]] }, summary: { high: 1, medium: 0, low: 1 }, findings: [findings[1], findings[0]] };
    const text = comment({ 'audit.exit': '1', 'audit.json': report });
    expect(text).toContain('(1 high, 0 medium, 1 low)');
  });

  it('shows what gm audit printed when it gave no report', () => {
    const text = comment({ 'audit.exit': '2', 'audit.json': '', 'audit.err': 'gm audit: unknown option --plan\n' });
    expect(text).toContain(':x: `gm audit` exited 2 without a report.');
    expect(text).toContain('gm audit: unknown option --plan');
  });
});

describe('gm cost', () => {
  it('compares the totals of head and base', () => {
    const totals = (list: number, afterFreeTier: number) => ({ listUsd: list, afterFreeTierUsd: afterFreeTier, listComplete: true, afterFreeTierComplete: true });
    const head = { totals: { idleMonth: totals(1.5, 0.75), playedMonth: totals(3, 2) } };
    const base = { totals: { idleMonth: totals(1.0, 0.8), playedMonth: totals(3, 2) } };
    const text = comment({ 'cost-head.exit': '0', 'cost-head.json': head, 'cost-base.exit': '0', 'cost-base.json': base });
    expect(text).toContain('| idle month, list price | $1.00 | $1.50 | +$0.50 |');
    expect(text).toContain('| idle month, after free tier | $0.80 | $0.75 | −$0.05 |');
    expect(text).toContain('| month with play, list price | $3.00 | $3.00 | ±$0.00 |');
  });

  it('marks a total the price table could not complete as a lower bound', () => {
    const head = { totals: { idleMonth: { listUsd: 0.55, afterFreeTierUsd: 0.5, listComplete: false, afterFreeTierComplete: true } } };
    const text = comment({ 'cost-head.exit': '0', 'cost-head.json': head, 'cost-base.exit': '2', 'cost-base.json': '' });
    expect(text).toContain('| idle month, list price | — | ≥ $0.55 | — |');
    expect(text).toContain('| idle month, after free tier | — | $0.50 | — |');
  });

  it('shows the head alone when the base has no gm cost', () => {
    const text = comment({ 'cost-head.exit': '0', 'cost-head.json': IDLE_096, 'cost-base.exit': '2', 'cost-base.json': '' });
    expect(text).toContain('| idle month, list price | — | $0.96 | — |');
    expect(text).toContain('The base commit gave no cost to compare with (`gm cost --json` exited 2 there).');
  });
});

describe('GitHub\'s comment limit', () => {
  it('is never exceeded: the long diff is cut at a line, the short one and the summary stay whole', () => {
    const huge = Array.from({ length: 8000 }, (_, i) => `  + tag_${i} = "${'x'.repeat(20)}"`).join('\n');
    const short = '  ~ resource "aws_efs_file_system" "mc" {\n      ~ tags = {}\n    }\n';
    const text = comment({
      'gamemanagement-worlds.status': 'ok',
      'gamemanagement-worlds.plan.json': planJson(change('aws_efs_file_system.mc', ['update'])),
      'gamemanagement-worlds.plan.txt': short,
      'gamemanagement.status': 'ok',
      'gamemanagement.plan.json': MAIN_PLAN,
      'gamemanagement.plan.txt': huge,
      'audit.exit': '0',
      'audit.json': CLEAN_AUDIT,
      'cost-head.exit': '0',
      'cost-head.json': IDLE_096,
    }, { RUN_URL: 'https://github.com/o/r/actions/runs/1' });
    expect(huge.length).toBeGreaterThan(2 * COMMENT_LIMIT);
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    // Most of the room goes to the diff; the rest is the summary.
    expect(text.length).toBeGreaterThan(COMMENT_LIMIT - 1000);
    expect(text).toContain('!   resource "aws_efs_file_system" "mc" {\n!       tags = {}\n    }');
    expect(text).toMatch(/\n… \d+ more lines cut to fit GitHub's comment limit; the whole plan is in \[the run's log\]\(https:\/\/github.com\/o\/r\/actions\/runs\/1\)\.\n```/);
    expect(text).toContain('+   tag_0 = ');
    expect(text).not.toContain('tag_7999');
    expect(text).toContain('### gm audit');
    expect(text).toContain('| idle month, list price | — | $0.96 | — |');
    // Every kept line of the diff is whole.
    const kept = text.split('\n').filter((line) => line.startsWith('+   tag_'));
    for (const line of kept) expect(line).toMatch(/^\+   tag_\d+ = "x{20}"$/);
  });
});

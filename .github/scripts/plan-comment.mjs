#!/usr/bin/env node
/**
 * Writes the pull request's review comment (Markdown) from what the plan job
 * left in one folder:
 *   <stack>.status      "ok" or "failed" (no file: the stack was not planned)
 *   <stack>.plan.json   `terraform show -json plan.out` (counts of changes)
 *   <stack>.plan.txt    `terraform show -no-color plan.out` (the diff)
 *   <stack>.log         init/plan output (shown when the plan failed)
 *   audit.json / audit.exit / audit.err        `gm audit --json` of the head
 *   cost-head.json / cost-base.json (+ .exit)  `gm cost --json` of head and base
 * The comment starts with a hidden marker so that the workflow updates its one
 * comment on each push instead of adding another, and it stays within
 * GitHub's comment limit: the diffs are cut first, the summary never.
 *
 * Usage: plan-comment.mjs <folder> <stack>...   → Markdown on stdout
 * Environment (optional): PLAN_SKIPPED (why no stack was planned), HEAD_SHA,
 * BASE_SHA, GM_CONFIG, RUN_URL (link to the run's log).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MARKER = '<!-- gamemanagement-plan -->';
/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65536;
/** Findings listed one per row; the rest are counted. */
const MAX_FINDING_ROWS = 60;
/** Lines of a failed plan's log shown in the comment (its end, where Terraform says why). */
const LOG_TAIL_LINES = 40;

function readText(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function readJson(path) {
  const text = readText(path);
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
function fence(text, info = '') {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const mark = '`'.repeat(longest + 1);
  return `${mark}${info}\n${text.replace(/\n$/, '')}\n${mark}`;
}

/** Text inside a table cell: one line, pipes escaped. */
function cell(value) {
  return String(value ?? '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Terraform's own plan summary from `resource_changes` (JSON output format):
 * a replacement counts once to add and once to destroy, as `terraform plan`
 * prints it. Reads, no-ops and forgets change nothing in AWS.
 */
export function countChanges(plan) {
  const counts = { add: 0, change: 0, destroy: 0, replace: 0, import: 0 };
  for (const rc of plan?.resource_changes ?? []) {
    const actions = rc?.change?.actions ?? [];
    if (actions.includes('create')) counts.add += 1;
    if (actions.includes('update')) counts.change += 1;
    if (actions.includes('delete')) counts.destroy += 1;
    if (actions.includes('create') && actions.includes('delete')) counts.replace += 1;
    if (rc?.change?.importing) counts.import += 1;
  }
  return counts;
}

export function describeCounts(c) {
  if (c.add + c.change + c.destroy + c.import === 0) return 'No changes.';
  const parts = [`${c.add} to add`, `${c.change} to change`, `${c.destroy} to destroy`];
  if (c.import > 0) parts.unshift(`${c.import} to import`);
  return parts.join(', ') + (c.replace > 0 ? ` (${c.replace} replaced)` : '');
}

/**
 * Terraform indents its change signs; GitHub colours a `diff` block by the
 * first column only, so the sign moves there (`~` becomes `!`, which the
 * highlighter shows as a change).
 */
export function diffHighlight(text) {
  return text.replace(/^(\s+)([-+~])(?=\s)/gm, (_, indent, sign) => `${sign === '~' ? '!' : sign}${indent}`);
}

function stackSection(dir, stack) {
  const status = readText(join(dir, `${stack}.status`))?.trim();
  if (status === undefined) return { row: `| \`${stack}\` | not planned |`, details: undefined };
  if (status !== 'ok') {
    const log = (readText(join(dir, `${stack}.log`)) ?? '').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
    return {
      row: `| \`${stack}\` | :x: plan failed |`,
      details: { summary: `${stack}: plan failed (last lines of the log)`, text: log, info: '' },
    };
  }
  const plan = readJson(join(dir, `${stack}.plan.json`));
  const summary = plan ? describeCounts(countChanges(plan)) : 'planned (no JSON to count changes)';
  const text = readText(join(dir, `${stack}.plan.txt`)) ?? '';
  return {
    row: `| \`${stack}\` | ${summary} |`,
    details: summary === 'No changes.' ? undefined : { summary: `${stack}: ${summary}`, text: diffHighlight(text), info: 'diff' },
  };
}

const SEVERITY_ORDER = ['high', 'medium', 'low'];

/** The findings of `gm audit --json`: its flat `findings` list (every finding once, the shared ones too). */
export function auditFindings(audit) {
  return Array.isArray(audit?.findings) ? audit.findings : undefined;
}

function auditSection(dir) {
  const exit = readText(join(dir, 'audit.exit'))?.trim();
  if (exit === undefined) return '### gm audit\n\nNot run.';
  const findings = auditFindings(readJson(join(dir, 'audit.json')));
  if (findings === undefined) {
    const err = (readText(join(dir, 'audit.err')) ?? readText(join(dir, 'audit.json')) ?? '').trim();
    return `### gm audit\n\n:x: \`gm audit\` exited ${exit} without a report.\n\n${fence(err.split('\n').slice(-LOG_TAIL_LINES).join('\n') || '(no output)')}`;
  }
  const bySeverity = (f) => String(f.severity ?? '').toLowerCase();
  const counts = SEVERITY_ORDER.map((s) => `${findings.filter((f) => bySeverity(f) === s).length} ${s}`).join(', ');
  const verdict = exit === '1' ? ':x: high findings: the check fails' : exit === '0' ? ':white_check_mark: no high finding' : `:x: exited ${exit}`;
  const lines = [`### gm audit`, '', `${verdict} (${counts}).`];
  if (findings.length > 0) {
    const sorted = [...findings].sort((a, b) => rank(bySeverity(a)) - rank(bySeverity(b)));
    lines.push('', '| Severity | Rule | Resource | Finding |', '| --- | --- | --- | --- |');
    for (const f of sorted.slice(0, MAX_FINDING_ROWS)) {
      const what = [f.title, f.detail].filter(Boolean).join(': ');
      lines.push(`| ${cell(f.severity)} | ${cell(f.rule)} | ${cell(f.resource)} | ${cell(what)} |`);
    }
    if (sorted.length > MAX_FINDING_ROWS) lines.push('', `…and ${sorted.length - MAX_FINDING_ROWS} more in the run's log.`);
  }
  return lines.join('\n');
}

function rank(severity) {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}

/** The four totals of `gm cost --json`, by label, each with whether the price table had every figure. */
export function costTotals(cost) {
  const flat = new Map();
  for (const [month, monthLabel] of [['idleMonth', 'idle month'], ['playedMonth', 'month with play']]) {
    const total = cost?.totals?.[month];
    for (const [price, priceLabel] of [['list', 'list price'], ['afterFreeTier', 'after free tier']]) {
      const usd = total?.[`${price}Usd`];
      if (typeof usd === 'number') flat.set(`${monthLabel}, ${priceLabel}`, { usd, complete: total[`${price}Complete`] !== false });
    }
  }
  return flat;
}

function usd(n) {
  return `$${n.toFixed(2)}`;
}

function signedUsd(n) {
  const rounded = Math.round(n * 100) / 100;
  if (rounded === 0) return '±$0.00';
  return `${rounded > 0 ? '+' : '−'}$${Math.abs(rounded).toFixed(2)}`;
}

function costSection(dir) {
  const headExit = readText(join(dir, 'cost-head.exit'))?.trim();
  if (headExit === undefined) return '### gm cost\n\nNot run.';
  const head = costTotals(readJson(join(dir, 'cost-head.json')));
  if (head.size === 0) return `### gm cost\n\n:warning: \`gm cost --json\` on this pull request exited ${headExit} without totals.`;
  const baseExit = readText(join(dir, 'cost-base.exit'))?.trim();
  const base = costTotals(readJson(join(dir, 'cost-base.json')));
  const lines = ['### gm cost', '', '| Total | Base | This pull request | Change |', '| --- | ---: | ---: | ---: |'];
  // An incomplete total (a price the table lacks) is a lower bound: shown as "≥".
  const shown = (t) => `${t.complete ? '' : '≥ '}${usd(t.usd)}`;
  for (const [label, now] of head) {
    const before = base.get(label);
    lines.push(`| ${label} | ${before === undefined ? '—' : shown(before)} | ${shown(now)} | ${before === undefined ? '—' : signedUsd(now.usd - before.usd)} |`);
  }
  if (base.size === 0) {
    lines.push('', `The base commit gave no cost to compare with (\`gm cost --json\` ${baseExit === undefined ? 'did not run' : `exited ${baseExit}`} there).`);
  }
  return lines.join('\n');
}

/** Cuts `text` at a line end to at most `max` characters, saying how much is left out. */
function cut(text, max, runUrl) {
  if (text.length <= max) return text;
  const where = runUrl ? `the whole plan is in [the run's log](${runUrl})` : "the whole plan is in the run's log";
  const note = (n) => `\n… ${n} more lines cut to fit GitHub's comment limit; ${where}.`;
  const allLines = text.split('\n');
  let kept = text.slice(0, Math.max(0, max - note(allLines.length).length));
  kept = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')));
  const keptLines = kept === '' ? 0 : kept.split('\n').length;
  return `${kept}${note(allLines.length - keptLines)}`;
}

function detailsBlock(d, text) {
  return `<details><summary>${d.summary}</summary>\n\n${fence(text, d.info)}\n\n</details>`;
}

export function buildComment(dir, stacks, env = process.env) {
  const sections = stacks.map((stack) => ({ stack, ...stackSection(dir, stack) }));
  const header = [MARKER, '## Plan review', ''];
  const facts = [
    env.HEAD_SHA && `commit \`${env.HEAD_SHA.slice(0, 7)}\``,
    env.BASE_SHA && `base \`${env.BASE_SHA.slice(0, 7)}\``,
    env.GM_CONFIG && `configuration \`${env.GM_CONFIG}\``,
  ].filter(Boolean);
  if (facts.length > 0) header.push(facts.join(' · '), '');
  header.push('### Terraform plan', '');
  if (env.PLAN_SKIPPED) header.push(`:information_source: ${env.PLAN_SKIPPED}`, '');
  header.push('| Stack | Plan |', '| --- | --- |', ...sections.map((s) => s.row));
  const tail = ['', auditSection(dir), '', costSection(dir)];
  if (env.RUN_URL) tail.push('', `[Workflow run](${env.RUN_URL})`);

  const withDiffs = sections.filter((s) => s.details);
  const assemble = (texts) =>
    [...header, ...withDiffs.flatMap((s, i) => ['', detailsBlock(s.details, texts[i])]), ...tail].join('\n') + '\n';

  // Share what the summary leaves of the limit among the diffs, smallest first, so a short diff is never cut for a long one.
  const empty = assemble(withDiffs.map(() => ''));
  let budget = COMMENT_LIMIT - empty.length;
  const texts = withDiffs.map((s) => s.details.text);
  const order = texts.map((t, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const allowed = [];
  order.forEach((i, k) => {
    const share = Math.floor(Math.max(0, budget) / (order.length - k));
    allowed[i] = cut(texts[i], share, env.RUN_URL);
    budget -= allowed[i].length;
  });
  const body = assemble(allowed);
  // The summary alone past the limit (thousands of findings): keep the marker and say so rather than fail to post.
  return body.length <= COMMENT_LIMIT ? body : `${body.slice(0, COMMENT_LIMIT - 80)}\n\n… cut to fit GitHub's comment limit.\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, ...stacks] = process.argv.slice(2);
  if (!dir || stacks.length === 0) {
    process.stderr.write('usage: plan-comment.mjs <folder> <stack>...\n');
    process.exit(2);
  }
  process.stdout.write(buildComment(dir, stacks));
}

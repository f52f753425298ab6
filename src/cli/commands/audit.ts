/**
 * `gm audit`: synthesizes the deployment in-process (no Terraform, no AWS)
 * and checks it, and any `terraform show -json` plans given, against the
 * rule pack (src/audit); prints per game what is open, granted, encrypted,
 * backed up, protected and kept, then the findings. Exit 1 on a high finding.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { RULES, auditContext, runAudit } from '../../audit';
import { readPlanJson, PlanFormatError } from '../../audit/read-plan';
import type { synthesizeForAudit } from '../../audit/read-synth';
import { buildReport, reportLines } from '../../audit/report';
import { configPath } from '../../config/load';
import { loadDeployment } from '../aws/deployment';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from '../command';
import type { CliIo } from '../io';
import { parseOptions } from '../parse-options';
import type { AuditStack } from '../../audit/model';

const USAGE = `usage: gm audit [--plan <plan.json>]... [--json]
Synthesizes the deployment of GM_CONFIG (default gamemanagement.yaml) in memory
and checks it against ${RULES.length} rules: instance metadata, open ports, SSH, egress,
encryption, TLS, backups, destroy protection, state bucket, log retention, IAM
(every action real and named, resources scoped), what Terraform must leave to the
running system, secrets. Prints per game what is open, every IAM action of every
role and what it is on, then the findings. Exit 1 on any high finding. Needs no
AWS credentials.
  --plan <file>  also check a plan: terraform plan -out=tfplan && terraform show
                 -json tfplan > plan.json (repeat for each stack)
  --json         print the report as JSON`;

function readPlan(file: string): AuditStack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --plan ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return readPlanJson(basename(file), JSON.parse(text) as unknown);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UsageError(`--plan ${file} is not JSON: make it with terraform show -json <planfile>`);
    if (e instanceof PlanFormatError) throw new UsageError(e.message);
    throw e;
  }
}

/** `synthesize` is the in-process synth; tests pass a cached one so each example is built once. */
export async function runAuditCommand(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
  synthesize?: typeof synthesizeForAudit,
): Promise<number> {
  const { values, positionals } = parseOptions(args, { plan: { type: 'string', multiple: true }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const plans = (values.plan ?? []).map(readPlan);
  const deployment = loadDeployment({}, env);
  io.progress(`synthesizing ${deployment.file}`);
  // Loaded here, not at start-up: the cdktf app would cost every other gm command most of a second.
  const synth = synthesize ?? (await import('../../audit/read-synth')).synthesizeForAudit;
  const synthesized = synth(deployment.config, configPath(env));
  io.progress(undefined);
  const findings = await runAudit(auditContext(deployment.config, [...synthesized, ...plans]));
  // The report describes the synthesized stacks; a plan adds its findings.
  const report = buildReport(auditContext(deployment.config, synthesized), findings);
  if (values.json) {
    // Every finding once, flat (also the shared ones), each with its rule's title: what a script (the PR comment) reads.
    const titles = new Map(RULES.map((r) => [r.id, r.title]));
    const flat = findings.map((f) => ({ rule: f.rule, severity: f.severity, title: titles.get(f.rule) ?? f.rule, resource: f.resource, detail: f.detail, game: f.game ?? null }));
    io.out(JSON.stringify({ config: deployment.file, plans: plans.map((p) => p.source), ...report, findings: flat }, null, 2));
  }
  else reportLines(report).forEach((line) => io.out(line));
  return report.summary.high > 0 ? EXIT_FAILED : EXIT_OK;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check the synthesized deployment (and plans) against the security and cost rules; exit 1 on a high finding',
  usage: USAGE,
  run: (args, io) => runAuditCommand(args, io),
};

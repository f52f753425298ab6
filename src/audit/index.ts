/**
 * The rule pack: one list of rules, run by `gm audit` and by the tests, over
 * the synthesized stacks and any plans given.
 */
import type { Config } from '../config/resolve';
import { gameOf, locate, type AuditContext, type AuditStack, type Finding, type Rule } from './model';
import { HOST_RULES } from './rules/host';
import { IAM_RULES } from './rules/iam';
import { LOG_RULES } from './rules/logs';
import { NETWORK_RULES } from './rules/network';
import { RUNTIME_RULES } from './rules/runtime';
import { SECRET_RULES } from './rules/secrets';
import { STATE_RULES } from './rules/state';
import { STORAGE_RULES } from './rules/storage';

export type { AuditContext, AuditStack, Finding, Rule, Severity } from './model';

export const RULES: readonly Rule[] = [
  ...HOST_RULES, ...NETWORK_RULES, ...STORAGE_RULES, ...STATE_RULES, ...LOG_RULES, ...IAM_RULES, ...RUNTIME_RULES, ...SECRET_RULES,
];

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/** Every finding of every rule (or of `rules`), most severe first, each once. */
export async function runAudit(context: AuditContext, rules: readonly Rule[] = RULES): Promise<Finding[]> {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const { resource, detail } of await rule.check(context)) {
      const game = gameOf(context, resource);
      const finding: Finding = { rule: rule.id, severity: rule.severity, resource: locate(resource), detail, ...(game ? { game } : {}) };
      const key = `${finding.rule}|${finding.resource}|${finding.detail}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export function auditContext(config: Config, stacks: readonly AuditStack[]): AuditContext {
  return { config, stacks };
}

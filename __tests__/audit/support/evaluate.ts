/**
 * Judges calls against a role's identity policies with a real IAM policy
 * evaluator (@cloud-copilot/iam-simulate, AWS's evaluation logic and
 * action/resource data), after turning the synthesized policies' Terraform
 * expressions into the ARNs they become in a test account.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { mapStrings, resolveExpressions, type ArnAccount } from '../../../src/audit/arns';
import type { AuditContext, AuditResource } from '../../../src/audit/model';
import { rolePolicies } from '../../../src/audit/policies';
import type { Call } from './function-calls';

export const TEST_ACCOUNT: ArnAccount = { partition: 'aws', account: '123456789012' };

export interface ResolvedPolicy {
  readonly name: string;
  readonly policy: { readonly Version: string; readonly Statement: unknown[] };
}

/** The role's identity policies with every expression replaced by its value in TEST_ACCOUNT. */
export function resolvedPolicies(context: AuditContext, role: AuditResource): ResolvedPolicy[] {
  const entry = rolePolicies(context).find((r) => r.role === role);
  if (!entry) throw new Error(`no role ${role.address}`);
  const stack = context.stacks.find((s) => s.source === role.source)!;
  return entry.policies.map((p) => ({
    name: p.name,
    policy: {
      Version: '2012-10-17',
      Statement: p.statements.map((s) => mapStrings({ Effect: s.Effect, Action: s.Action, Resource: s.Resource, ...(s.Condition ? { Condition: s.Condition } : {}) },
        (text) => resolveExpressions(context, stack, text, TEST_ACCOUNT))),
    },
  }));
}

export interface Verdict {
  readonly call: Call;
  readonly result: string;
}

/** The evaluator's verdict on each call made with `roleArn` and these policies. */
export async function evaluateCalls(roleArn: string, policies: readonly ResolvedPolicy[], calls: readonly Call[]): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const call of calls) {
    const outcome = await runSimulation({
      request: {
        principal: roleArn,
        action: call.action,
        resource: { resource: call.resource, accountId: TEST_ACCOUNT.account },
        // Every call of the SDK goes over TLS.
        contextVariables: { 'aws:SecureTransport': 'true', ...(call.context as Record<string, string | string[]> | undefined) },
      },
      identityPolicies: policies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
    verdicts.push({ call, result: outcome.resultType === 'error' ? `error: ${outcome.errors.message}` : outcome.overallResult });
  }
  return verdicts;
}

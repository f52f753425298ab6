/**
 * IAM policies as the rules read them: the identity policies of each role
 * (inline `aws_iam_role_policy`, `inline_policy` blocks, `aws_iam_policy`)
 * and resource policies, each as plain statements. A synthesized policy is
 * `${jsonencode({...})}`; a planned one is the JSON text AWS will get.
 */
import { readJsonencode, type HclValue } from './hcl';
import { blocks, referenced, resourcesOfType, type AuditContext, type AuditResource } from './model';

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: readonly string[];
  readonly NotAction: readonly string[];
  readonly Resource: readonly string[];
  readonly NotResource: readonly string[];
  readonly Principal?: HclValue;
  readonly Condition?: Record<string, Record<string, HclValue>>;
}

export interface PolicyOf {
  /** The resource that holds the policy text. */
  readonly holder: AuditResource;
  readonly name: string;
  readonly statements: readonly Statement[];
}

export interface RolePolicies {
  readonly role: AuditResource;
  /** The role's AWS name, when known. */
  readonly roleName: string;
  readonly policies: readonly PolicyOf[];
}

function asStrings(value: HclValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** The statements of a policy text; undefined when it is not known (a plan leaves computed policies out). */
export function readStatements(policy: unknown): Statement[] | undefined {
  if (typeof policy !== 'string') return undefined;
  let document: HclValue;
  if (policy.startsWith('${jsonencode(')) document = readJsonencode(policy);
  else {
    try {
      document = JSON.parse(policy) as HclValue;
    } catch {
      return undefined;
    }
  }
  const raw = (document as { Statement?: HclValue } | null)?.Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((entry) => {
    const s = entry as Record<string, HclValue>;
    return {
      ...(typeof s.Sid === 'string' ? { Sid: s.Sid } : {}),
      Effect: String(s.Effect),
      Action: asStrings(s.Action),
      NotAction: asStrings(s.NotAction),
      Resource: asStrings(s.Resource),
      NotResource: asStrings(s.NotResource),
      ...(s.Principal !== undefined ? { Principal: s.Principal } : {}),
      ...(s.Condition ? { Condition: s.Condition as Statement['Condition'] } : {}),
    };
  });
}

/** Every role with the identity policies attached to it in the same stack. */
export function rolePolicies(context: AuditContext): RolePolicies[] {
  const roles = resourcesOfType(context, 'aws_iam_role');
  const attached = resourcesOfType(context, 'aws_iam_role_policy');
  return roles.map((role) => {
    const inline = blocks(role.values, 'inline_policy').flatMap((p, i) => {
      const statements = readStatements(p.policy);
      return statements ? [{ holder: role, name: String(p.name ?? `inline ${i}`), statements }] : [];
    });
    const own = attached.filter((p) => p.source === role.source && (referenced(context, p, p.values.role) === role
      // A plan has the role's name where the synthesized JSON has a reference.
      || (typeof p.values.role === 'string' && p.values.role === role.values.name)));
    const policies = own.flatMap((p) => {
      const statements = readStatements(p.values.policy);
      return statements ? [{ holder: p, name: String(p.values.name ?? p.name), statements }] : [];
    });
    return { role, roleName: String(role.values.name ?? role.name), policies: [...inline, ...policies] };
  });
}

/** Every identity policy, attached to a role or standing alone (`aws_iam_policy`). */
export function identityPolicies(context: AuditContext): PolicyOf[] {
  const standalone = resourcesOfType(context, 'aws_iam_policy').flatMap((p) => {
    const statements = readStatements(p.values.policy);
    return statements ? [{ holder: p, name: String(p.values.name ?? p.name), statements }] : [];
  });
  const inline = resourcesOfType(context, 'aws_iam_role').flatMap((role) => blocks(role.values, 'inline_policy').flatMap((p, i) => {
    const statements = readStatements(p.policy);
    return statements ? [{ holder: role, name: String(p.name ?? `inline ${i}`), statements }] : [];
  }));
  const attached = resourcesOfType(context, 'aws_iam_role_policy').flatMap((p) => {
    const statements = readStatements(p.values.policy);
    return statements ? [{ holder: p, name: String(p.values.name ?? p.name), statements }] : [];
  });
  return [...attached, ...inline, ...standalone];
}

/** Whether a resource policy denies every request not made over TLS (`aws:SecureTransport` false). */
export function deniesInsecureTransport(statements: readonly Statement[]): boolean {
  return statements.some((s) => s.Effect === 'Deny'
    && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false'
    && s.Action.some((a) => a === '*' || a.endsWith(':*')));
}

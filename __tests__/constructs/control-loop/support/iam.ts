/** The inline policy of a function's role, as statements. */
import { readJsonencode, type HclValue } from '../../support/hcl';
import { resources, type Body, type MainStackJson, type Named } from './synth';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, HclValue>>;
  /** Keys of the raw statement, to catch NotAction / NotResource (which grant by exclusion). */
  readonly keys: readonly string[];
}

function asList(value: HclValue | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'string') throw new Error(`expected strings in a policy statement, got ${JSON.stringify(v)}`);
    return v;
  });
}

export function statementsOf(policy: unknown): PolicyStatement[] {
  if (typeof policy !== 'string') throw new Error('policy is not a string');
  const document = readJsonencode(policy) as { Statement?: HclValue };
  if (!Array.isArray(document.Statement)) throw new Error('policy has no Statement list');
  return document.Statement.map((raw) => {
    const s = raw as Record<string, HclValue>;
    return {
      Sid: typeof s.Sid === 'string' ? s.Sid : undefined,
      Effect: String(s.Effect),
      Action: asList(s.Action),
      Resource: asList(s.Resource),
      Condition: s.Condition as PolicyStatement['Condition'],
      keys: Object.keys(s),
    };
  });
}

/** `aws_iam_role.<name>` that a function's `role` points at. */
export function roleOf(json: MainStackJson, fn: Named): Named {
  const match = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(fn.body.role));
  if (!match) throw new Error(`function ${fn.name} has role ${String(fn.body.role)}, not a reference to a role of this stack`);
  const body = json.resource.aws_iam_role?.[match[1]!];
  if (!body) throw new Error(`role ${match[1]} of ${fn.name} is not in the stack`);
  return { name: match[1]!, body };
}

/** Inline policies attached to a role (by `${aws_iam_role.x.id}` or `.name`). */
export function inlinePoliciesOf(json: MainStackJson, role: Named): Body[] {
  const refs = new Set([`\${aws_iam_role.${role.name}.id}`, `\${aws_iam_role.${role.name}.name}`]);
  return resources(json, 'aws_iam_role_policy').filter((p) => refs.has(String(p.body.role))).map((p) => p.body);
}

/** Everything the function's role may do: every statement of every inline policy. */
export function functionStatements(json: MainStackJson, fn: Named): PolicyStatement[] {
  return inlinePoliciesOf(json, roleOf(json, fn)).flatMap((p) => statementsOf(p.policy));
}

export function allowedActions(statements: readonly PolicyStatement[]): Set<string> {
  return new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
}

/** Statements that allow `action`. */
export function statementsFor(statements: readonly PolicyStatement[], action: string): PolicyStatement[] {
  return statements.filter((s) => s.Effect === 'Allow' && s.Action.includes(action));
}

/** Every resource `action` is allowed on. */
export function resourcesFor(statements: readonly PolicyStatement[], action: string): string[] {
  return statementsFor(statements, action).flatMap((s) => s.Resource);
}

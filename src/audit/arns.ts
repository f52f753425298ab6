/**
 * Turns the Terraform expressions in synthesized policies
 * (`${aws_ecs_cluster.x.arn}`, `${element(split(":", …), 4)}`,
 * `${replace(…, ":cluster/", ":task/")}`) into the ARNs they become, for a
 * given partition and account: the report shows what a grant is on, and the
 * IAM evaluation feeds concrete ARNs to a policy simulator.
 */
import type { AuditContext, AuditResource, AuditStack } from './model';

export interface ArnAccount {
  readonly partition: string;
  readonly account: string;
}

/** Stand-ins for what only AWS assigns (documented formats, recognisable values). */
export const ASSIGNED = {
  autoScalingGroupId: '00000000-0000-4000-8000-000000000000',
  fileSystemId: 'fs-0123456789abcdef0',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
} as const;

export class UnresolvedExpression extends Error {
  override readonly name = 'UnresolvedExpression';
}

function regionOf(context: AuditContext, resource: AuditResource): string {
  // The us_east_1 provider alias holds what Route53 query logging needs; everything else is in the game region.
  return resource.values.provider === 'aws.us_east_1' ? 'us-east-1' : context.config.region;
}

function attributeOf(context: AuditContext, stack: AuditStack, resource: AuditResource, attribute: string, account: ArnAccount): string {
  const { partition: p, account: a } = account;
  const r = regionOf(context, resource);
  const v = resource.values;
  const name = String(v.name ?? '');
  const arn = (): string => {
    switch (resource.type) {
      case 'aws_autoscaling_group': return `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:${ASSIGNED.autoScalingGroupId}:autoScalingGroupName/${name}`;
      case 'aws_ecs_cluster': return `arn:${p}:ecs:${r}:${a}:cluster/${name}`;
      case 'aws_ecs_service': {
        const cluster = resolveExpressions(context, stack, String(v.cluster), account);
        return `arn:${p}:ecs:${r}:${a}:service/${cluster.replace(/^.*:cluster\//, '')}/${name}`;
      }
      case 'aws_cloudwatch_log_group': return `arn:${p}:logs:${r}:${a}:log-group:${name}`;
      case 'aws_cloudwatch_event_rule': return `arn:${p}:events:${r}:${a}:rule/${name}`;
      case 'aws_ssm_parameter': return `arn:${p}:ssm:${r}:${a}:parameter${name.startsWith('/') ? name : `/${name}`}`;
      case 'aws_ssm_document': return `arn:${p}:ssm:${r}:${a}:document/${name}`;
      case 'aws_sns_topic': return `arn:${p}:sns:${r}:${a}:${name}`;
      case 'aws_lambda_function': return `arn:${p}:lambda:${r}:${a}:function:${String(v.function_name)}`;
      case 'aws_efs_file_system': return `arn:${p}:elasticfilesystem:${r}:${a}:file-system/${ASSIGNED.fileSystemId}`;
      case 'aws_iam_role': return `arn:${p}:iam::${a}:role/${name}`;
      case 'aws_s3_bucket': return `arn:${p}:s3:::${String(v.bucket)}`;
      default: throw new UnresolvedExpression(`no ARN format for ${resource.type}`);
    }
  };
  switch (attribute) {
    case 'arn': return arn();
    case 'id':
      if (['aws_ecs_cluster', 'aws_ecs_service', 'aws_sns_topic'].includes(resource.type)) return arn();
      if (resource.type === 'aws_efs_file_system') return ASSIGNED.fileSystemId;
      if (resource.type === 'aws_s3_bucket') return String(v.bucket);
      return name;
    case 'zone_id': return ASSIGNED.hostedZoneId;
    case 'name': return resource.type === 'aws_lambda_function' ? String(v.function_name) : name;
    default:
      // An argument the configuration sets (e.g. a pull-through rule's ecr_repository_prefix) is its own value.
      if (typeof v[attribute] === 'string') return resolveExpressions(context, stack, String(v[attribute]), account);
      throw new UnresolvedExpression(`no value for ${resource.type}.${attribute}`);
  }
}

function evaluate(context: AuditContext, stack: AuditStack, expression: string, account: ArnAccount): string {
  const e = expression.trim();
  let m = /^element\(split\("([^"]*)", (.+)\), (\d+)\)$/.exec(e);
  if (m) return evaluate(context, stack, m[2]!, account).split(m[1]!)[Number(m[3])] ?? '';
  m = /^replace\((.+), "([^"]*)", "([^"]*)"\)$/.exec(e);
  if (m) return evaluate(context, stack, m[1]!, account).split(m[2]!).join(m[3]!);
  m = /^data\.terraform_remote_state\.[^.]+\.outputs\.(.+)$/.exec(e);
  if (m) {
    // A cross-stack reference: the output of the stack that declares it, resolved there.
    const from = context.stacks.find((s) => m![1]! in s.outputs);
    if (!from) throw new UnresolvedExpression(`no stack has output ${m[1]}`);
    return resolveExpressions(context, from, String(from.outputs[m[1]!]), account);
  }
  m = /^local\.(.+)$/.exec(e);
  if (m) {
    const value = stack.locals?.[m[1]!];
    if (value === undefined) throw new UnresolvedExpression(`no local ${m[1]} in stack ${stack.source}`);
    return resolveExpressions(context, stack, String(value), account);
  }
  m = /^([a-z0-9_]+)\.([^.]+)\.([a-z_]+)$/.exec(e);
  if (m) {
    const resource = stack.resources.find((r) => r.type === m![1] && r.name === m![2]);
    if (!resource) throw new UnresolvedExpression(`${m[1]}.${m[2]} is not in stack ${stack.source}`);
    return attributeOf(context, stack, resource, m[3]!, account);
  }
  throw new UnresolvedExpression(`cannot evaluate \${${e}}`);
}

/** The text with every `${…}` replaced by its value. */
export function resolveExpressions(context: AuditContext, stack: AuditStack, text: string, account: ArnAccount): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) return out + text.slice(i);
    out += text.slice(i, start);
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end += 1) {
      if (text[end] === '{') depth += 1;
      else if (text[end] === '}' && (depth -= 1) === 0) break;
    }
    out += evaluate(context, stack, text.slice(start + 2, end), account);
    i = end + 1;
  }
  return out;
}

/** Like resolveExpressions, but leaves a value it cannot work out as written (for display). */
export function showResolved(context: AuditContext, stack: AuditStack | undefined, text: string, account: ArnAccount): string {
  if (!stack) return text;
  try {
    return resolveExpressions(context, stack, text, account);
  } catch (e) {
    if (e instanceof UnresolvedExpression) return text;
    throw e;
  }
}

/** Applies `resolve` to every string inside a value (policy statements, conditions). */
export function mapStrings<T>(value: T, resolve: (text: string) => string): T {
  if (typeof value === 'string') return resolve(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, resolve)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, resolve)])) as T;
  return value;
}

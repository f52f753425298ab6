/**
 * IAM as AWS reads it: every action exists (AWS's own action list, not a
 * spelling check), none is a wildcard, every resource is an ARN or "*" of the
 * action's service, and "*" only where AWS offers nothing narrower.
 */
import { expandAction, hasRequiredResource, resourceServices, serviceExists } from '../action-data';
import { resourcesOfType, type AuditContext, type Rule, type RuleFinding } from '../model';
import { identityPolicies, readStatements, type PolicyOf, type Statement } from '../policies';

/** Resource policies, whose actions must exist too (their principals are other rules' business). */
function resourcePolicies(context: AuditContext): PolicyOf[] {
  const holders: [string, string][] = [
    ['aws_s3_bucket_policy', 'policy'], ['aws_efs_file_system_policy', 'policy'], ['aws_sns_topic_policy', 'policy'],
    ['aws_cloudwatch_log_resource_policy', 'policy_document'], ['aws_iam_role', 'assume_role_policy'],
  ];
  return holders.flatMap(([type, key]) => resourcesOfType(context, type).flatMap((holder) => {
    const statements = readStatements(holder.values[key]);
    return statements ? [{ holder, name: key, statements }] : [];
  }));
}

function where(policy: PolicyOf, statement: Statement): string {
  return `policy ${policy.name}${statement.Sid ? `, statement ${statement.Sid}` : ''}`;
}

function allowStatements(context: AuditContext): { policy: PolicyOf; statement: Statement }[] {
  return identityPolicies(context).flatMap((policy) => policy.statements.filter((s) => s.Effect === 'Allow').map((statement) => ({ policy, statement })));
}

export const noWildcardActions: Rule = {
  id: 'iam-no-wildcard-actions',
  severity: 'high',
  title: 'IAM grants name every action, no wildcards',
  protects: 'Against grants that widen by themselves: `ecs:Submit*` or `s3:*` also allow every action AWS adds later.',
  fix: 'List each action the code or agent calls (see the audit\'s IAM evaluation), instead of a pattern or NotAction.',
  check(context) {
    return allowStatements(context).flatMap(({ policy, statement }): RuleFinding[] => [
      ...statement.Action.filter((a) => /[*?]/.test(a)).map((a) => ({ resource: policy.holder, detail: `${where(policy, statement)} allows ${a}` })),
      ...(statement.NotAction.length > 0 ? [{ resource: policy.holder, detail: `${where(policy, statement)} allows everything but ${statement.NotAction.join(', ')} (NotAction)` }] : []),
    ]);
  },
};

export const actionsExist: Rule = {
  id: 'iam-actions-exist',
  severity: 'high',
  title: 'Every IAM action exists',
  protects: 'Against a misspelled action (IAM accepts it and grants nothing) that leaves a function failing with AccessDenied in production.',
  fix: 'Spell the action as the Service Authorization Reference lists it (service prefix and action name).',
  async check(context) {
    const findings: RuleFinding[] = [];
    for (const policy of [...identityPolicies(context), ...resourcePolicies(context)]) {
      for (const statement of policy.statements) {
        for (const action of [...statement.Action, ...statement.NotAction]) {
          if (action === '*') continue;
          const [service] = action.split(':');
          if (!(await serviceExists(service ?? ''))) findings.push({ resource: policy.holder, detail: `${where(policy, statement)}: ${action}: no such service prefix` });
          else if ((await expandAction(action)).length === 0) findings.push({ resource: policy.holder, detail: `${where(policy, statement)}: ${action}: no such action` });
        }
      }
    }
    return findings;
  },
};

/** The service of the ARN a Terraform attribute holds: `${aws_ecs_cluster.x.arn}` → ecs. */
const SERVICE_OF_TYPE: Readonly<Record<string, string>> = {
  aws_autoscaling_group: 'autoscaling', aws_ecs_cluster: 'ecs', aws_ecs_service: 'ecs', aws_ecs_task_definition: 'ecs',
  aws_cloudwatch_log_group: 'logs', aws_cloudwatch_event_rule: 'events', aws_ssm_parameter: 'ssm', aws_ssm_document: 'ssm',
  aws_sns_topic: 'sns', aws_lambda_function: 'lambda', aws_efs_file_system: 'elasticfilesystem', aws_efs_access_point: 'elasticfilesystem',
  aws_iam_role: 'iam', aws_s3_bucket: 's3', aws_route53_zone: 'route53', aws_backup_vault: 'backup',
};

/** Attributes that hold an ARN although they are not called `arn`. */
const ID_IS_ARN = new Set(['aws_ecs_service', 'aws_sns_topic', 'aws_ecs_cluster']);

/** The service named by a resource entry, '' when it cannot be told, undefined when it is not an ARN at all. */
function arnService(resource: string): string | undefined {
  if (resource.startsWith('arn:')) {
    // Interpolations may stand for the partition or account: mask them before splitting on colons.
    const masked = resource.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, 'X');
    const service = masked.split(':')[2] ?? '';
    return service === 'X' ? '' : service;
  }
  const reference = /^\$\{(?:replace\()?([a-z0-9_]+)\.[^.]+\.([a-z_]+)/.exec(resource);
  if (reference && (reference[2] === 'arn' || (reference[2] === 'id' && ID_IS_ARN.has(reference[1]!)))) return SERVICE_OF_TYPE[reference[1]!] ?? '';
  // A cross-stack reference: an output of another stack holding an ARN (cdktf names it after the attribute).
  if (/^\$\{data\.terraform_remote_state\.[^}]*arn\}/.test(resource)) return '';
  return undefined;
}

export const resourcesAreArns: Rule = {
  id: 'iam-resources-arn',
  severity: 'high',
  title: 'Every IAM resource is "*" or an ARN of the action\'s service',
  protects: 'Against grants on a resource that is not what it seems (a name where an ARN belongs matches nothing, or the wrong service\'s ARN).',
  fix: 'Use the resource\'s ARN attribute (`aws_x.y.arn`) or build the ARN from its documented format.',
  async check(context) {
    const findings: RuleFinding[] = [];
    for (const policy of identityPolicies(context)) {
      for (const statement of policy.statements) {
        // The services whose ARNs the statement's actions take, from AWS's resource types (SendCommand: ssm and ec2).
        const services = new Set<string>();
        for (const action of statement.Action) for (const service of await resourceServices(action)) services.add(service);
        for (const resource of [...statement.Resource, ...statement.NotResource].filter((r) => r !== '*')) {
          const service = arnService(resource);
          if (service === undefined) findings.push({ resource: policy.holder, detail: `${where(policy, statement)}: resource ${resource} is not an ARN` });
          else if (service !== '' && !services.has(service)) {
            findings.push({ resource: policy.holder, detail: `${where(policy, statement)}: resource ${resource} is a ${service} ARN; ${statement.Action.join(', ')} take ${[...services].join(', ') || 'no resource'} ARNs` });
          }
        }
      }
    }
    return findings;
  },
};

export const resourcesScoped: Rule = {
  id: 'iam-resources-scoped',
  severity: 'medium',
  title: 'IAM resources scoped wherever AWS allows',
  protects: 'Other games and other things in the account: a grant on "*" reaches every resource of that kind.',
  fix: 'Name the resources (ARNs) the call is made on, or add a condition that scopes it (ecs:cluster, aws:ResourceTag); "*" only for actions AWS scopes to no resource.',
  async check(context) {
    const findings: RuleFinding[] = [];
    for (const { policy, statement } of allowStatements(context)) {
      if (statement.NotResource.length > 0) findings.push({ resource: policy.holder, detail: `${where(policy, statement)} allows everything but ${statement.NotResource.join(', ')} (NotResource)` });
      // A condition can scope what the resource cannot (ecs:ListTasks by ecs:cluster, SendCommand by tag).
      if (!statement.Resource.includes('*') || statement.Condition) continue;
      for (const action of statement.Action) {
        for (const each of await expandAction(action)) {
          if (await hasRequiredResource(each)) {
            findings.push({ resource: policy.holder, detail: `${where(policy, statement)}: ${action} on "*", although AWS scopes it to a resource` });
            break;
          }
        }
      }
    }
    return findings;
  },
};

export const IAM_RULES: readonly Rule[] = [noWildcardActions, actionsExist, resourcesAreArns, resourcesScoped];


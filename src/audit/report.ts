/**
 * What `gm audit` shows per game: open ports, every IAM action of every role
 * and what it is on, encryption, backups, destroy protection, log retention,
 * instance metadata settings, and the findings.
 */
import { ASSIGNED, mapStrings, showResolved, type ArnAccount } from './arns';
import { asNumber, block, blocks, gameOf, referenced, resourcesOfType, truthy, type AuditContext, type AuditResource, type Finding } from './model';
import { rolePolicies } from './policies';
import { describeRule, firewallRules, isWorld } from './rules/security-groups';

/** Accounts differ per deployment: the report shows where the account id goes. */
const SHOWN_ACCOUNT: ArnAccount = { partition: 'aws', account: '<account>' };

export interface RoleGrants {
  readonly role: string;
  /** AWS managed policies attached by ARN (their statements are AWS's, not in the JSON). */
  readonly managedPolicies: readonly string[];
  readonly grants: readonly { readonly actions: readonly string[]; readonly on: readonly string[]; readonly condition?: unknown }[];
}

export interface GameAudit {
  readonly game: string;
  readonly openPorts: readonly string[];
  readonly roles: readonly RoleGrants[];
  readonly encryption: { readonly hostVolumes: boolean | null; readonly world: boolean | null };
  /** AWS Backup of the world: its schedule and how long copies are kept, or 'off'. */
  readonly backups: string;
  readonly destroyProtection: boolean | null;
  readonly logRetentionDays: Readonly<Record<string, number | null>>;
  readonly imds: { readonly httpTokens: string | null; readonly hopLimit: number | null } | null;
  readonly findings: readonly Finding[];
}

export interface AuditReport {
  readonly games: readonly GameAudit[];
  /** What serves every game (the waker, alerts, state, network). */
  readonly shared: { readonly roles: readonly RoleGrants[]; readonly logRetentionDays: Readonly<Record<string, number | null>>; readonly findings: readonly Finding[] };
  readonly summary: { readonly high: number; readonly medium: number; readonly low: number };
}

/** What AWS assigns at creation, shown as what it is rather than as a made-up value. */
const ASSIGNED_SHOWN: readonly [string, string][] = [
  [ASSIGNED.autoScalingGroupId, '<group-id>'], [ASSIGNED.fileSystemId, '<file-system-id>'], [ASSIGNED.hostedZoneId, '<zone-id>'],
];

function shown(context: AuditContext, role: AuditResource, text: string): string {
  const resolved = showResolved(context, context.stacks.find((s) => s.source === role.source), text, SHOWN_ACCOUNT);
  return ASSIGNED_SHOWN.reduce((out, [value, label]) => out.split(value).join(label), resolved);
}

function grantsOf(context: AuditContext, roles: ReturnType<typeof rolePolicies>): RoleGrants[] {
  const attachments = resourcesOfType(context, 'aws_iam_role_policy_attachment');
  return roles.map(({ role, roleName, policies }) => ({
    role: roleName,
    managedPolicies: attachments.filter((a) => a.source === role.source && referenced(context, a, a.values.role) === role).map((a) => shown(context, role, String(a.values.policy_arn))),
    grants: policies.flatMap((p) => p.statements.filter((s) => s.Effect === 'Allow').map((s) => ({
      actions: s.Action,
      on: s.Resource.map((r) => shown(context, role, r)),
      ...(s.Condition ? { condition: mapStrings(s.Condition, (text) => shown(context, role, text)) } : {}),
    }))),
  }));
}

function retention(groups: readonly AuditResource[]): Record<string, number | null> {
  return Object.fromEntries(groups.map((g) => [String(g.values.name ?? g.address), asNumber(g.values.retention_in_days) ?? null]));
}

/** "cron(0 5 * * ? *), kept 35 days, in vault gm-worlds", from the selection's plan. */
function describeBackups(context: AuditContext, selection: AuditResource): string {
  const plan = referenced(context, selection, selection.values.plan_id);
  const rule = plan ? blocks(plan.values, 'rule')[0] : undefined;
  if (!rule) return 'on (plan not in this JSON)';
  const days = asNumber(block(rule, 'lifecycle')?.delete_after);
  const vault = referenced(context, plan!, rule.target_vault_name)?.values.name ?? rule.target_vault_name;
  return `${String(rule.schedule ?? 'no schedule')}, kept ${days === undefined ? 'forever' : `${days} days`}, in vault ${String(vault)}`;
}

export function buildReport(context: AuditContext, findings: readonly Finding[]): AuditReport {
  const owned = (r: AuditResource, id: string | undefined) => gameOf(context, r) === id;
  const roles = rolePolicies(context);
  const groups = resourcesOfType(context, 'aws_cloudwatch_log_group');
  const games = context.config.games.map((game): GameAudit => {
    const mine = (r: AuditResource) => owned(r, game.id);
    const template = resourcesOfType(context, 'aws_launch_template').find(mine);
    const metadata = template && block(template.values, 'metadata_options');
    const fileSystem = resourcesOfType(context, 'aws_efs_file_system').find(mine);
    const selection = resourcesOfType(context, 'aws_backup_selection').find(mine);
    const ports = firewallRules(context).filter((r) => r.direction === 'ingress' && isWorld(r) && mine(r.group ?? r.resource));
    return {
      game: game.id,
      openPorts: [...new Set(ports.map(describeRule))],
      roles: grantsOf(context, roles.filter((r) => mine(r.role))),
      encryption: {
        hostVolumes: template ? blocks(template.values, 'block_device_mappings').every((m) => truthy(block(m, 'ebs')?.encrypted)) && blocks(template.values, 'block_device_mappings').length > 0 : null,
        // An adopted file system is not in the JSON: its encryption cannot be read here.
        world: fileSystem ? truthy(fileSystem.values.encrypted) : null,
      },
      backups: selection ? describeBackups(context, selection) : 'off',
      destroyProtection: fileSystem?.lifecycle ? fileSystem.lifecycle.preventDestroy : null,
      logRetentionDays: retention(groups.filter(mine)),
      imds: metadata ? { httpTokens: typeof metadata.http_tokens === 'string' ? metadata.http_tokens : null, hopLimit: asNumber(metadata.http_put_response_hop_limit) ?? null } : null,
      findings: findings.filter((f) => f.game === game.id),
    };
  });
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return {
    games,
    shared: {
      roles: grantsOf(context, roles.filter((r) => gameOf(context, r.role) === undefined)),
      logRetentionDays: retention(groups.filter((g) => gameOf(context, g) === undefined)),
      findings: findings.filter((f) => f.game === undefined),
    },
    summary: { high: count('high'), medium: count('medium'), low: count('low') },
  };
}

function yesNo(value: boolean | null, yes: string, no: string, unknown: string): string {
  return value === null ? unknown : value ? yes : no;
}

function roleLines(roles: readonly RoleGrants[]): string[] {
  return roles.flatMap((role) => [
    `    ${role.role}`,
    ...role.managedPolicies.map((arn) => `      managed policy ${arn}`),
    ...role.grants.map((g) => `      ${g.actions.join(', ')} on ${g.on.join(', ') || '(no resource)'}${g.condition ? ` if ${JSON.stringify(g.condition)}` : ''}`),
  ]);
}

function findingLines(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['  findings: none'];
  return ['  findings:', ...findings.map((f) => `    ${f.severity.toUpperCase()} ${f.rule}: ${f.resource}: ${f.detail}`)];
}

/** The report as text, one game after another, then what they share, then the count. */
export function reportLines(report: AuditReport): string[] {
  const lines: string[] = [];
  for (const game of report.games) {
    lines.push(
      `game ${game.game}`,
      `  open to the world: ${game.openPorts.join('; ') || 'nothing'}`,
      `  instance metadata: ${game.imds ? `tokens ${game.imds.httpTokens ?? 'unset'}, hop limit ${game.imds.hopLimit ?? 'unset'}` : 'no launch template'}`,
      `  encryption: host volumes ${yesNo(game.encryption.hostVolumes, 'encrypted', 'NOT encrypted', 'unknown')}, world ${yesNo(game.encryption.world, 'encrypted', 'NOT encrypted', 'adopted (not in this JSON)')}`,
      `  backups: ${game.backups}`,
      `  destroy protection: ${yesNo(game.destroyProtection, 'on (prevent_destroy)', 'off', 'adopted file system (not managed here)')}`,
      `  log retention: ${Object.entries(game.logRetentionDays).map(([g, d]) => `${g} ${d ?? 'forever'}${d ? ' d' : ''}`).join(', ') || 'no log groups'}`,
      '  IAM:',
      ...roleLines(game.roles),
      ...findingLines(game.findings),
      '',
    );
  }
  lines.push(
    'shared',
    `  log retention: ${Object.entries(report.shared.logRetentionDays).map(([g, d]) => `${g} ${d ?? 'forever'}${d ? ' d' : ''}`).join(', ') || 'no log groups'}`,
    '  IAM:',
    ...roleLines(report.shared.roles),
    ...findingLines(report.shared.findings),
    '',
    `${report.summary.high} high, ${report.summary.medium} medium, ${report.summary.low} low`,
  );
  return lines;
}

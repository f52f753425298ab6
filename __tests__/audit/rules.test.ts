/**
 * The rule pack: complete (every rule says what it protects and how to fix
 * it), and every rule proven to fire: the shipped example's synthesized JSON
 * is broken on purpose, one way per case, and the rule must report the broken
 * resource — a finding the unbroken JSON does not have.
 */
import { RULES, auditContext, runAudit } from '../../src/audit';
import type { AuditContext, AuditResource, AuditStack } from '../../src/audit/model';
import { copyStacks, synthesizedExample } from './support/examples';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Values = Record<string, unknown>;

const shipped = () => synthesizedExample('gamemanagement.yaml');

function find(stacks: AuditStack[], type: string, where: (r: AuditResource) => boolean = () => true): Mutable<AuditResource> {
  const found = stacks.flatMap((s) => s.resources).filter((r) => r.type === type && where(r));
  if (found.length === 0) throw new Error(`no ${type} to break`);
  return found[0] as Mutable<AuditResource>;
}

function remove(stacks: AuditStack[], resource: AuditResource): void {
  const stack = stacks.find((s) => s.source === resource.source)! as Mutable<AuditStack>;
  stack.resources = stack.resources.filter((r) => r.address !== resource.address);
}

const named = (name: string) => (r: AuditResource) => r.values.name === name;
const where = (r: AuditResource) => `${r.source}: ${r.address}`;

interface Breakage {
  readonly rule: string;
  readonly how: string;
  /** Breaks the stacks (a copy) and returns `<source>: <address>` of the resource the finding must name. */
  readonly apply: (stacks: AuditStack[]) => string;
}

const BREAKAGES: readonly Breakage[] = [
  { rule: 'host-imdsv2', how: 'IMDSv1 allowed', apply: (s) => {
    const t = find(s, 'aws_launch_template');
    (t.values.metadata_options as Values).http_tokens = 'optional';
    return where(t);
  } },
  { rule: 'host-imdsv2', how: 'hop limit 2 (containers reach the credentials)', apply: (s) => {
    const t = find(s, 'aws_launch_template');
    (t.values.metadata_options as Values).http_put_response_hop_limit = 2;
    return where(t);
  } },
  { rule: 'host-ebs-encrypted', how: 'root volume unencrypted', apply: (s) => {
    const t = find(s, 'aws_launch_template');
    ((t.values.block_device_mappings as Values[])[0]!.ebs as Values).encrypted = 'false';
    return where(t);
  } },
  { rule: 'net-world-ingress-game-ports', how: 'a port the game does not declare open to the world', apply: (s) => {
    const r = find(s, 'aws_vpc_security_group_ingress_rule', (x) => x.values.cidr_ipv4 === '0.0.0.0/0');
    Object.assign(r.values, { from_port: 8080, to_port: 8080 });
    return where(r);
  } },
  { rule: 'net-world-ingress-game-ports', how: 'every protocol open to the world', apply: (s) => {
    const r = find(s, 'aws_vpc_security_group_ingress_rule', (x) => x.values.cidr_ipv4 === '0.0.0.0/0');
    r.values.ip_protocol = '-1';
    return where(r);
  } },
  { rule: 'net-no-ssh', how: 'SSH open, even to a private range', apply: (s) => {
    const r = find(s, 'aws_vpc_security_group_ingress_rule', (x) => x.values.cidr_ipv4 === '0.0.0.0/0');
    Object.assign(r.values, { from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8' });
    return where(r);
  } },
  { rule: 'net-egress-declared', how: 'all traffic to everywhere', apply: (s) => {
    const r = find(s, 'aws_vpc_security_group_egress_rule', (x) => x.values.cidr_ipv4 === '0.0.0.0/0');
    r.values.ip_protocol = '-1';
    return where(r);
  } },
  { rule: 'net-egress-declared', how: 'no egress declared for the host', apply: (s) => {
    for (const r of s.flatMap((x) => x.resources).filter((x) => x.type === 'aws_vpc_security_group_egress_rule')) remove(s, r);
    return where(find(s, 'aws_security_group', (x) => String(x.values.name).endsWith('-host')));
  } },
  { rule: 'net-default-sg-locked', how: 'the default group allows traffic', apply: (s) => {
    const g = find(s, 'aws_default_security_group');
    g.values.egress = [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }];
    return where(g);
  } },
  { rule: 'net-no-nat-or-lb', how: 'a NAT gateway', apply: (s) => {
    const stack = s.find((x) => x.source === 'gamemanagement')! as Mutable<AuditStack>;
    const nat: AuditResource = { source: 'gamemanagement', kind: 'synth', type: 'aws_nat_gateway', name: 'nat', address: 'aws_nat_gateway.nat', values: { subnet_id: 'x' } };
    stack.resources = [...stack.resources, nat];
    return where(nat);
  } },
  { rule: 'efs-encrypted', how: 'world unencrypted', apply: (s) => {
    const fs = find(s, 'aws_efs_file_system');
    fs.values.encrypted = false;
    return where(fs);
  } },
  { rule: 'efs-tls-only', how: 'no file system policy', apply: (s) => {
    remove(s, find(s, 'aws_efs_file_system_policy'));
    return where(find(s, 'aws_efs_file_system'));
  } },
  { rule: 'efs-tls-only', how: 'the policy lets plain NFS in', apply: (s) => {
    const p = find(s, 'aws_efs_file_system_policy');
    p.values.policy = String(p.values.policy).replace('"aws:SecureTransport" = "false"', '"aws:SecureTransport" = "true"');
    return where(find(s, 'aws_efs_file_system'));
  } },
  { rule: 'efs-backup', how: 'no backup selection takes in the world while the config has backups on', apply: (s) => {
    find(s, 'aws_backup_selection').values.resources = ['arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0someoneelse0'];
    return where(find(s, 'aws_efs_file_system'));
  } },
  { rule: 'efs-backup', how: 'the backup plan has no scheduled rule', apply: (s) => {
    for (const rule of find(s, 'aws_backup_plan').values.rule as Values[]) delete rule.schedule;
    return where(find(s, 'aws_efs_file_system'));
  } },
  { rule: 'storage-destroy-protection', how: 'world without prevent_destroy', apply: (s) => {
    const fs = find(s, 'aws_efs_file_system');
    fs.lifecycle = { ignoreChanges: [], preventDestroy: false };
    return where(fs);
  } },
  { rule: 'storage-destroy-protection', how: 'state bucket without prevent_destroy', apply: (s) => {
    const b = find(s, 'aws_s3_bucket');
    b.lifecycle = { ignoreChanges: [], preventDestroy: false };
    return where(b);
  } },
  { rule: 'state-bucket-versioned', how: 'versioning suspended', apply: (s) => {
    (find(s, 'aws_s3_bucket_versioning').values.versioning_configuration as Values).status = 'Suspended';
    return where(find(s, 'aws_s3_bucket'));
  } },
  { rule: 'state-bucket-private', how: 'public buckets not restricted', apply: (s) => {
    find(s, 'aws_s3_bucket_public_access_block').values.restrict_public_buckets = false;
    return where(find(s, 'aws_s3_bucket'));
  } },
  { rule: 'state-bucket-private', how: 'ACLs enabled', apply: (s) => {
    (find(s, 'aws_s3_bucket_ownership_controls').values.rule as Values).object_ownership = 'ObjectWriter';
    return where(find(s, 'aws_s3_bucket'));
  } },
  { rule: 'state-bucket-tls-only', how: 'no TLS-only policy', apply: (s) => {
    remove(s, find(s, 'aws_s3_bucket_policy'));
    return where(find(s, 'aws_s3_bucket'));
  } },
  { rule: 'state-encrypted', how: 'backend without encrypt', apply: (s) => {
    const stack = s.find((x) => x.source === 'gamemanagement')!;
    (stack.backend!.settings as Values).encrypt = false;
    return 'gamemanagement: terraform.backend.s3';
  } },
  { rule: 'state-encrypted', how: 'bucket without default encryption', apply: (s) => {
    remove(s, find(s, 'aws_s3_bucket_server_side_encryption_configuration'));
    return where(find(s, 'aws_s3_bucket'));
  } },
  { rule: 'logs-retention', how: 'a log group kept forever', apply: (s) => {
    const g = find(s, 'aws_cloudwatch_log_group', named('/gm/mc/game'));
    delete g.values.retention_in_days;
    return where(g);
  } },
  { rule: 'logs-retention', how: 'a function whose log group Lambda creates itself', apply: (s) => {
    const fn = find(s, 'aws_lambda_function', (r) => r.values.function_name === 'gm-mc-watchdog');
    remove(s, find(s, 'aws_cloudwatch_log_group', named('/aws/lambda/gm-mc-watchdog')));
    delete fn.values.logging_config;
    return where(fn);
  } },
  { rule: 'iam-no-wildcard-actions', how: 'sns:* granted', apply: (s) => {
    const p = find(s, 'aws_iam_role_policy', (r) => String(r.values.policy).includes('"Sid" = "Notify"') && String(r.values.role).includes('watchdog'));
    p.values.policy = String(p.values.policy).replace('"Action" = "sns:Publish"', '"Action" = "sns:*"');
    return where(p);
  } },
  { rule: 'iam-actions-exist', how: 'a misspelled action', apply: (s) => {
    const p = find(s, 'aws_iam_role_policy', (r) => String(r.values.policy).includes('"events:DisableRule"'));
    p.values.policy = String(p.values.policy).replace('"events:DisableRule"', '"events:DisableRules"');
    return where(p);
  } },
  { rule: 'iam-actions-exist', how: 'an unknown service prefix', apply: (s) => {
    const p = find(s, 'aws_iam_role_policy', (r) => String(r.values.policy).includes('"sns:Publish"'));
    p.values.policy = String(p.values.policy).replace('"sns:Publish"', '"snss:Publish"');
    return where(p);
  } },
  { rule: 'iam-resources-arn', how: 'a parameter named where its ARN belongs', apply: (s) => {
    const p = find(s, 'aws_iam_role_policy', (r) => /aws_ssm_parameter\.[^.]+\.arn/.test(String(r.values.policy)));
    p.values.policy = String(p.values.policy).replace(/(aws_ssm_parameter\.[^.]+)\.arn/, '$1.name');
    return where(p);
  } },
  { rule: 'iam-resources-arn', how: 'another service\'s ARN', apply: (s) => {
    const p = find(s, 'aws_iam_role_policy', (r) => String(r.values.policy).includes('"Action" = "sns:Publish", "Resource" = aws_sns_topic.'));
    const cluster = find(s, 'aws_ecs_cluster');
    p.values.policy = String(p.values.policy).replace(/"Action" = "sns:Publish", "Resource" = aws_sns_topic\.[^.]+\.arn/, `"Action" = "sns:Publish", "Resource" = aws_ecs_cluster.${cluster.name}.arn`);
    return where(p);
  } },
  { rule: 'iam-resources-scoped', how: 'a scopable action on "*"', apply: (s) => {
    const p = find(s, 'aws_iam_role_policy', (r) => String(r.values.policy).includes('"ecs:DescribeServices"'));
    p.values.policy = String(p.values.policy).replace(/("Action" = "ecs:DescribeServices", "Resource" = )aws_ecs_service\.[^.]+\.id/, '$1"*"');
    return where(p);
  } },
  { rule: 'tf-ignores-runtime', how: 'Terraform resets the desired capacity', apply: (s) => {
    const g = find(s, 'aws_autoscaling_group');
    g.lifecycle = { ignoreChanges: [], preventDestroy: false };
    return where(g);
  } },
  { rule: 'tf-ignores-runtime', how: 'Terraform points DNS back at the placeholder', apply: (s) => {
    const r = find(s, 'aws_route53_record', (x) => x.values.type === 'A');
    r.lifecycle = { ignoreChanges: [], preventDestroy: false };
    return where(r);
  } },
  { rule: 'no-secrets-in-json', how: 'an RCON password in the container environment', apply: (s) => {
    const t = find(s, 'aws_ecs_task_definition');
    const containers = JSON.parse(String(t.values.container_definitions)) as { environment: { name: string; value: string }[] }[];
    containers[0]!.environment.push({ name: 'RCON_PASSWORD', value: 'hunter2' });
    t.values.container_definitions = JSON.stringify(containers);
    return where(t);
  } },
  { rule: 'no-secrets-in-json', how: 'a Discord webhook URL in a function\'s environment', apply: (s) => {
    const fn = find(s, 'aws_lambda_function', (r) => r.values.function_name === 'gm-waker');
    ((fn.values.environment as Values).variables as Values).HOOK = 'https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL';
    return where(fn);
  } },
];

const keyOf = (f: { rule: string; resource: string; detail: string }) => `${f.rule}|${f.resource}|${f.detail}`;

describe('the rule pack', () => {
  it('has at least 15 rules, each with a unique id, a severity, a title, what it protects against and its fix', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(['high', 'medium', 'low']).toContain(rule.severity);
      for (const text of [rule.title, rule.protects, rule.fix]) expect(text.length).toBeGreaterThan(10);
    }
  });

  it('proves every rule with at least one deliberate breakage', () => {
    expect([...new Set(BREAKAGES.map((b) => b.rule))].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});

describe.each(BREAKAGES)('$rule fires on: $how', ({ rule: id, apply }) => {
  it('reports the broken resource', async () => {
    const rule = RULES.find((r) => r.id === id)!;
    const before = new Set((await runAudit(shipped().context, [rule])).map(keyOf));
    const stacks = copyStacks(shipped().stacks);
    const context = auditContext(shipped().config, stacks);
    const broken = apply(stacks);
    const added = (await runAudit(context, [rule])).filter((f) => !before.has(keyOf(f)));
    expect(added.map((f) => f.resource)).toContain(broken);
    expect(added.every((f) => f.rule === id && f.severity === rule.severity)).toBe(true);
  });
});

describe('"unless turned off" is read from the configuration', () => {
  function withGame(change: Record<string, unknown>): AuditContext['config'] {
    const config = shipped().config;
    return { ...config, games: config.games.map((g) => ({ ...g, ...change })) };
  }

  it('a world without backups is fine when the game turned backups off, reported when it did not', async () => {
    const stacks = copyStacks(shipped().stacks);
    find(stacks, 'aws_backup_selection').values.resources = [];
    const rule = RULES.filter((r) => r.id === 'efs-backup');
    expect(await runAudit(auditContext(withGame({ backups: false }), stacks), rule)).toEqual([]);
    expect((await runAudit(auditContext(withGame({ backups: true }), stacks), rule)).map((f) => f.resource)).toEqual([where(find(stacks, 'aws_efs_file_system'))]);
  });

  it('a world without prevent_destroy is fine when keepOnDestroy is false', async () => {
    const stacks = copyStacks(shipped().stacks);
    const fs = find(stacks, 'aws_efs_file_system');
    fs.lifecycle = { ignoreChanges: [], preventDestroy: false };
    const rule = RULES.filter((r) => r.id === 'storage-destroy-protection');
    expect(await runAudit(auditContext(withGame({ keepOnDestroy: false }), stacks), rule)).toEqual([]);
    expect((await runAudit(auditContext(withGame({ keepOnDestroy: true }), stacks), rule)).map((f) => f.game)).toEqual(['mc']);
  });
});

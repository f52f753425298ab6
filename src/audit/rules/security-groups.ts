/**
 * Security group rules in one shape, whichever way they are written: the
 * separate `aws_vpc_security_group_{ingress,egress}_rule` resources the
 * constructs use, `aws_security_group_rule`, or inline blocks.
 */
import { asNumber, blocks, referenced, resourcesOfType, type AuditContext, type AuditResource, type Values } from '../model';

export interface FirewallRule {
  readonly resource: AuditResource;
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp`…, or `-1` for every protocol. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  /** The CIDRs it opens to (empty when it names another security group). */
  readonly cidrs: readonly string[];
  /** The security group it belongs to, when known. */
  readonly group?: AuditResource;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export function isWorld(rule: FirewallRule): boolean {
  return rule.cidrs.some((c) => WORLD.has(c));
}

function protocolOf(raw: unknown): string {
  const p = String(raw ?? '-1').toLowerCase();
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === 'all' || p === '-1') return '-1';
  return p;
}

function portRange(values: Values, protocol: string): { fromPort: number; toPort: number } {
  // Every protocol means every port, whatever the port fields say.
  if (protocol === '-1') return { fromPort: 0, toPort: 65535 };
  return { fromPort: asNumber(values.from_port) ?? 0, toPort: asNumber(values.to_port) ?? asNumber(values.from_port) ?? 65535 };
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function firewallRules(context: AuditContext): FirewallRule[] {
  const separate = resourcesOfType(context, 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule').map((r) => {
    const protocol = protocolOf(r.values.ip_protocol);
    return {
      resource: r,
      direction: r.type.endsWith('ingress_rule') ? 'ingress' as const : 'egress' as const,
      protocol,
      ...portRange(r.values, protocol),
      cidrs: [...stringList(r.values.cidr_ipv4), ...stringList(r.values.cidr_ipv6)],
      group: referenced(context, r, r.values.security_group_id),
    };
  });
  const classic = resourcesOfType(context, 'aws_security_group_rule').map((r) => {
    const protocol = protocolOf(r.values.protocol);
    return {
      resource: r,
      direction: r.values.type === 'egress' ? 'egress' as const : 'ingress' as const,
      protocol,
      ...portRange(r.values, protocol),
      cidrs: [...stringList(r.values.cidr_blocks), ...stringList(r.values.ipv6_cidr_blocks)],
      group: referenced(context, r, r.values.security_group_id),
    };
  });
  const inline = resourcesOfType(context, 'aws_security_group', 'aws_default_security_group').flatMap((group) =>
    (['ingress', 'egress'] as const).flatMap((direction) => blocks(group.values, direction).map((b) => {
      const protocol = protocolOf(b.protocol);
      return {
        resource: group,
        direction,
        protocol,
        ...portRange(b, protocol),
        cidrs: [...stringList(b.cidr_blocks), ...stringList(b.ipv6_cidr_blocks)],
        group,
      };
    })));
  return [...separate, ...classic, ...inline];
}

export function describeRule(rule: FirewallRule): string {
  const ports = rule.protocol === '-1' ? 'all traffic' : `${rule.protocol}/${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
  return `${rule.direction} ${ports}${rule.cidrs.length > 0 ? ` ${rule.direction === 'ingress' ? 'from' : 'to'} ${rule.cidrs.join(', ')}` : ''}`;
}

import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Testing } from 'cdktf';
import { configDocument, minecraft, valheim } from '../support/fixtures';
import { allResources, only, ref, resources, synthDocument, type Body, type NamedResource, type SynthesizedApp } from '../support/synth';

Testing.setupJest();

const ALL_PROTOCOLS = new Set(['-1', 'all', '-1.0']);

function hostGroup(synth: SynthesizedApp, game: string): NamedResource {
  return only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${game}-host`);
}

function mountGroup(synth: SynthesizedApp, game: string): NamedResource {
  return only(synth.main.json, 'aws_security_group', (b) => b.name === `gm-${game}-world-nfs`);
}

function rulesOf(synth: SynthesizedApp, kind: 'ingress' | 'egress', group: NamedResource): Body[] {
  const id = ref('aws_security_group', group, 'id');
  return resources(synth.main.json, `aws_vpc_security_group_${kind}_rule`).map((r) => r.body).filter((b) => b.security_group_id === id);
}

/** Every rule in the stack in one shape, whichever resource type declares it. */
function everyRule(synth: SynthesizedApp): { kind: string; body: Body }[] {
  const rules: { kind: string; body: Body }[] = [];
  for (const r of allResources(synth.main.json)) {
    if (r.type === 'aws_vpc_security_group_ingress_rule') rules.push({ kind: 'ingress', body: r.body });
    if (r.type === 'aws_vpc_security_group_egress_rule') rules.push({ kind: 'egress', body: r.body });
    if (r.type === 'aws_security_group_rule') rules.push({ kind: String(r.body.type), body: { ...r.body, ip_protocol: r.body.protocol } });
    if (r.type === 'aws_security_group') {
      for (const kind of ['ingress', 'egress'] as const) {
        for (const inline of (r.body[kind] as Body[] | undefined) ?? []) rules.push({ kind, body: { ...inline, ip_protocol: inline.protocol } });
      }
    }
  }
  return rules;
}

function covers(body: Body, port: number): boolean {
  if (ALL_PROTOCOLS.has(String(body.ip_protocol))) return true;
  const from = Number(body.from_port);
  const to = Number(body.to_port);
  return from <= port && port <= to;
}

describe('game firewall', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft(), vh: valheim() }));
  });

  it('opens exactly the game ports to players, per protocol, on the game host group', () => {
    const expected: Record<string, [string, number][]> = { mc: [['tcp', 25565]], vh: [['udp', 2456], ['udp', 2457]] };
    for (const [game, ports] of Object.entries(expected)) {
      const ingress = rulesOf(synth, 'ingress', hostGroup(synth, game));
      expect(ingress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort())
        .toEqual(ports.map(([protocol, port]) => [protocol, port, port, '0.0.0.0/0']).sort());
    }
  });

  it('opens SSH (22) nowhere', () => {
    const ssh = everyRule(synth).filter((r) => r.kind === 'ingress' && covers(r.body, 22));
    expect(ssh).toEqual([]);
  });

  it('lists outbound traffic explicitly: HTTPS, NFS to its own mount target, and the configured egress', () => {
    const vhHost = hostGroup(synth, 'vh');
    const egress = rulesOf(synth, 'egress', vhHost);
    expect(egress).toContainEqual(expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' }));
    expect(egress).toContainEqual(expect.objectContaining({
      ip_protocol: 'tcp', from_port: 2049, to_port: 2049, referenced_security_group_id: ref('aws_security_group', mountGroup(synth, 'vh'), 'id'),
    }));
    expect(synth.main.text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      security_group_id: ref('aws_security_group', vhHost, 'id'), ip_protocol: 'udp', from_port: 27015, to_port: 27015, cidr_ipv4: '0.0.0.0/0',
    });
    expect(egress).toHaveLength(3);
    // The configured egress belongs to valheim only.
    expect(rulesOf(synth, 'egress', hostGroup(synth, 'mc'))).toHaveLength(2);
  });

  it('never allows all protocols out to the internet', () => {
    const wide = everyRule(synth).filter((r) => r.kind === 'egress'
      && ALL_PROTOCOLS.has(String(r.body.ip_protocol))
      && (r.body.cidr_ipv4 === '0.0.0.0/0' || r.body.cidr_ipv6 === '::/0'
        || (Array.isArray(r.body.cidr_blocks) && r.body.cidr_blocks.includes('0.0.0.0/0'))));
    expect(wide).toEqual([]);
    for (const sg of resources(synth.main.json, 'aws_security_group')) {
      // Inline blocks would fight the separate rule resources.
      expect(sg.body).not.toHaveProperty('ingress');
      expect(sg.body).not.toHaveProperty('egress');
    }
  });

  it('lets the mount target accept NFS from its own game host only, and nothing else', () => {
    for (const game of ['mc', 'vh']) {
      const ingress = rulesOf(synth, 'ingress', mountGroup(synth, game));
      expect(ingress).toEqual([expect.objectContaining({
        ip_protocol: 'tcp', from_port: 2049, to_port: 2049, referenced_security_group_id: ref('aws_security_group', hostGroup(synth, game), 'id'),
      })]);
      expect(ingress[0]).not.toHaveProperty('cidr_ipv4');
      expect(rulesOf(synth, 'egress', mountGroup(synth, game))).toEqual([]);
    }
  });

  it('uses the mount-target group on the game\'s EFS mount target', () => {
    const mount = resources(synth.main.json, 'aws_efs_mount_target');
    expect(mount).toHaveLength(2);
    for (const game of ['mc', 'vh']) {
      const groupId = ref('aws_security_group', mountGroup(synth, game), 'id');
      expect(mount.filter((m) => (m.body.security_groups as string[]).includes(groupId))).toHaveLength(1);
    }
  });

  it('puts both groups in the VPC', () => {
    const vpcId = ref('aws_vpc', only(synth.main.json, 'aws_vpc'), 'id');
    for (const sg of resources(synth.main.json, 'aws_security_group')) expect(sg.body.vpc_id).toBe(vpcId);
    expect(synth.main.text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: 'udp', from_port: 2456, cidr_ipv4: '0.0.0.0/0' });
  });
});

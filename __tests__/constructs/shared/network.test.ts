import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Testing } from 'cdktf';
import { PLACEHOLDER_IPV6 } from '../../../src/runtime/dns';
import { configDocument, minecraft, valheim } from '../support/fixtures';
import { only, ref, resources, synthDocument, type SynthesizedApp } from '../support/synth';

Testing.setupJest();

describe('network (IPv4 only, the default)', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft() }, { network: { cidr: '10.20.0.0/16' } }));
  });

  it('creates one VPC with the configured range and DNS on, and no IPv6 range', () => {
    expect(resources(synth.main.json, 'aws_vpc')).toHaveLength(1);
    expect(synth.main.text).toHaveResourceWithProperties(Vpc, { cidr_block: '10.20.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
    expect(only(synth.main.json, 'aws_vpc').body).not.toHaveProperty('assign_generated_ipv6_cidr_block');
  });

  it('creates exactly one public subnet, in <region>a, inside the VPC range', () => {
    const vpc = only(synth.main.json, 'aws_vpc');
    expect(resources(synth.main.json, 'aws_subnet')).toHaveLength(1);
    expect(synth.main.text).toHaveResourceWithProperties(Subnet, {
      vpc_id: ref('aws_vpc', vpc, 'id'),
      availability_zone: 'eu-west-1a',
      map_public_ip_on_launch: true,
      cidr_block: expect.stringContaining('10.20.0.0/16'),
    });
    expect(only(synth.main.json, 'aws_subnet').body).not.toHaveProperty('ipv6_cidr_block');
  });

  it('routes 0.0.0.0/0 to an internet gateway of the VPC, and the subnet uses that route table', () => {
    const vpc = only(synth.main.json, 'aws_vpc');
    const igw = only(synth.main.json, 'aws_internet_gateway');
    expect(synth.main.text).toHaveResourceWithProperties(InternetGateway, { vpc_id: ref('aws_vpc', vpc, 'id') });
    const route = only(synth.main.json, 'aws_route', (b) => b.destination_cidr_block === '0.0.0.0/0');
    expect(route.body.gateway_id).toBe(ref('aws_internet_gateway', igw, 'id'));
    const assoc = only(synth.main.json, 'aws_route_table_association');
    expect(assoc.body).toMatchObject({ subnet_id: ref('aws_subnet', only(synth.main.json, 'aws_subnet'), 'id'), route_table_id: route.body.route_table_id });
    expect(resources(synth.main.json, 'aws_route').filter((r) => r.body.destination_ipv6_cidr_block)).toEqual([]);
  });

  it('has no NAT gateway and no load balancer, anywhere', () => {
    for (const stack of [synth.main, synth.worlds, synth.bootstrap]) {
      const types = Object.keys(stack.json.resource ?? {});
      expect(types.filter((t) => t === 'aws_nat_gateway' || /^aws_(lb|alb|elb)(_|$)/.test(t) || t.startsWith('aws_lb_'))).toEqual([]);
      expect(resources(stack.json, 'aws_route').filter((r) => r.body.nat_gateway_id)).toEqual([]);
    }
  });

  it('locks the VPC default security group (nothing may rely on its allow-all rules)', () => {
    const sg = only(synth.main.json, 'aws_default_security_group');
    expect(sg.body.vpc_id).toBe(ref('aws_vpc', only(synth.main.json, 'aws_vpc'), 'id'));
    expect(sg.body.ingress ?? []).toEqual([]);
    expect(sg.body.egress ?? []).toEqual([]);
  });

  it('creates no AAAA record and no IPv6 rule', () => {
    expect(resources(synth.main.json, 'aws_route53_record').filter((r) => r.body.type === 'AAAA')).toEqual([]);
    const v6 = [...resources(synth.main.json, 'aws_vpc_security_group_ingress_rule'), ...resources(synth.main.json, 'aws_vpc_security_group_egress_rule')]
      .filter((r) => r.body.cidr_ipv6);
    expect(v6).toEqual([]);
  });
});

describe('network with network.availabilityZone', () => {
  it('puts the subnet in that zone', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }, { network: { availabilityZone: 'eu-west-1b' } }));
    expect(resources(synth.main.json, 'aws_subnet')).toHaveLength(1);
    expect(synth.main.text).toHaveResourceWithProperties(Subnet, { availability_zone: 'eu-west-1b' });
  });
});

describe('network with ipv6: true (dual stack)', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft(), vh: valheim() }, { network: { ipv6: true } }));
  });

  it('asks Amazon for an IPv6 range on the VPC and gives the subnet a slice of it', () => {
    const vpc = only(synth.main.json, 'aws_vpc');
    expect(synth.main.text).toHaveResourceWithProperties(Vpc, { assign_generated_ipv6_cidr_block: true });
    const subnet = only(synth.main.json, 'aws_subnet');
    expect(subnet.body.ipv6_cidr_block).toEqual(expect.stringContaining(ref('aws_vpc', vpc, 'ipv6_cidr_block').slice(2, -1)));
    expect(subnet.body.assign_ipv6_address_on_creation).toBe(true);
  });

  it('routes ::/0 to the internet gateway', () => {
    const igw = only(synth.main.json, 'aws_internet_gateway');
    expect(synth.main.text).toHaveResourceWithProperties(Route, { destination_ipv6_cidr_block: '::/0', gateway_id: ref('aws_internet_gateway', igw, 'id') });
  });

  it('gives each game an AAAA record at the IPv6 placeholder, ignored after creation', () => {
    for (const fqdn of ['mc.example.com', 'vh.example.com']) {
      expect(synth.main.text).toHaveResourceWithProperties(Route53Record, {
        name: fqdn,
        type: 'AAAA',
        records: [PLACEHOLDER_IPV6],
        lifecycle: { ignore_changes: ['records'] },
      });
    }
  });

  it('opens every game port to ::/0 as well, and nothing else over IPv6 inbound', () => {
    const expected = [['tcp', 25565], ['udp', 2456], ['udp', 2457]] as const;
    for (const [protocol, port] of expected) {
      expect(synth.main.text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv6: '::/0', ip_protocol: protocol, from_port: port, to_port: port });
    }
    const v6 = resources(synth.main.json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.body.cidr_ipv6);
    expect(v6).toHaveLength(expected.length);
  });

  it('gives the host an IPv6 address', () => {
    for (const lt of resources(synth.main.json, 'aws_launch_template')) {
      expect(lt.body.network_interfaces).toEqual([expect.objectContaining({ ipv6_address_count: 1 })]);
    }
  });
});

describe('network with a small VPC range', () => {
  /** Prefix length of the subnet synthesized as `${cidrsubnet("<cidr>", <newbits>, <n>)}`. */
  function subnetPrefix(expression: unknown): number {
    const m = /^\$\{cidrsubnet\("[\d.]+\/(\d+)", (\d+), \d+\)\}$/.exec(String(expression));
    if (!m) throw new Error(`unexpected subnet cidr_block: ${String(expression)}`);
    return Number(m[1]) + Number(m[2]);
  }

  it('keeps the default /16 split at a /24 subnet', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }));
    expect(subnetPrefix(only(synth.main.json, 'aws_subnet').body.cidr_block)).toBe(24);
  });

  // Regression: the subnet used to be cut 8 bits below any VPC prefix, so a /24 VPC
  // gave a /32 subnet, which AWS rejects at apply (subnets must be /16 to /28).
  it('gives the subnet a size AWS accepts (/16 to /28) when the VPC is a /24', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }, { network: { cidr: '10.0.0.0/24' } }));
    const prefix = subnetPrefix(only(synth.main.json, 'aws_subnet').body.cidr_block);
    expect(prefix).toBeGreaterThanOrEqual(16);
    expect(prefix).toBeLessThanOrEqual(28);
  });
});

import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { resourceName } from '../support/naming';

/** Bits added to the VPC prefix for the public subnet: /24 from a /16, never smaller than /28. */
export function subnetNewBits(cidr: string): number {
  const prefix = Number(cidr.split('/')[1]);
  return Math.max(0, Math.min(8, 28 - prefix));
}

export interface NetworkProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** VPC range. */
  readonly cidr: string;
  /** Zone of the one public subnet (One Zone EFS lives there too). */
  readonly availabilityZone: string;
  /** Dual stack: an Amazon IPv6 range, IPv6 on the subnet and a ::/0 route. Default false. */
  readonly ipv6?: boolean;
}

/**
 * A VPC with one public subnet and an internet gateway. No NAT gateway
 * (about $32 a month each) and no load balancer: the host has a public
 * address and its security group opens only the game's ports.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly subnet: Subnet;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const name = resourceName(props.prefix, 'vpc');
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      assignGeneratedIpv6CidrBlock: props.ipv6 ? true : undefined,
      tags: { Name: name },
    });
    // The default security group allows all traffic between its members; nothing should use it.
    new DefaultSecurityGroup(this, 'default-sg-locked', { vpcId: this.vpc.id, tags: { Name: `${name}-default-unused` } });
    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: name } });
    this.subnet = new Subnet(this, 'public', {
      vpcId: this.vpc.id,
      availabilityZone: props.availabilityZone,
      // A /24 in a /16 VPC; smaller VPCs get the largest subnet AWS allows (/28 at the least).
      cidrBlock: Fn.cidrsubnet(props.cidr, subnetNewBits(props.cidr), 0),
      mapPublicIpOnLaunch: true,
      ipv6CidrBlock: props.ipv6 ? Fn.cidrsubnet(this.vpc.ipv6CidrBlock, 8, 0) : undefined,
      assignIpv6AddressOnCreation: props.ipv6 ? true : undefined,
      tags: { Name: resourceName(props.prefix, 'public', props.availabilityZone) },
    });
    const routes = new RouteTable(this, 'routes', { vpcId: this.vpc.id, tags: { Name: name } });
    new Route(this, 'default-ipv4', { routeTableId: routes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    if (props.ipv6) {
      new Route(this, 'default-ipv6', { routeTableId: routes.id, destinationIpv6CidrBlock: '::/0', gatewayId: igw.id });
    }
    new RouteTableAssociation(this, 'public-routes', { subnetId: this.subnet.id, routeTableId: routes.id });
  }
}

import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { resourceName } from '../support/naming';
import { terraformLiteral } from '../support/literal';

export interface FirewallPort {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
}

export interface GameFirewallProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Game id. */
  readonly gameId: string;
  readonly vpcId: string;
  /** Ports players connect to: the only inbound rules. */
  readonly ports: readonly FirewallPort[];
  /** Extra outbound rules the game asks for (master servers, Steam). Default none. */
  readonly egress?: readonly (FirewallPort & { readonly toPort?: number; readonly cidr: string; readonly description?: string })[];
  /** Also open the ports and HTTPS over IPv6. Default false. */
  readonly ipv6?: boolean;
}

/**
 * The game's two security groups. The host's opens only the game ports
 * inbound (no SSH: Session Manager instead) and lists every outbound need:
 * HTTPS for images and AWS APIs, NFS to its own file system, and what the
 * game itself declares. The world's mount target accepts NFS only from this
 * game's host, so games cannot reach each other's worlds.
 * (DNS, NTP and instance metadata go to link-local AWS services that
 * security groups do not filter.)
 */
export class GameFirewall extends Construct {
  readonly hostGroup: SecurityGroup;
  readonly mountTargetGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: GameFirewallProps) {
    super(scope, id);
    const hostName = resourceName(props.prefix, props.gameId, 'host');
    const mountName = resourceName(props.prefix, props.gameId, 'world-nfs');
    this.hostGroup = new SecurityGroup(this, 'host', {
      name: hostName,
      description: `Game ${props.gameId}: player ports in, HTTPS and NFS out`,
      vpcId: props.vpcId,
      tags: { Name: hostName },
      // Rules are separate resources below; an inline block here would fight them.
    });
    this.mountTargetGroup = new SecurityGroup(this, 'mount-target', {
      name: mountName,
      description: `Game ${props.gameId}: NFS from its host only`,
      vpcId: props.vpcId,
      tags: { Name: mountName },
    });

    const anywhere = props.ipv6 ? [['v4', { cidrIpv4: '0.0.0.0/0' }], ['v6', { cidrIpv6: '::/0' }]] as const : [['v4', { cidrIpv4: '0.0.0.0/0' }]] as const;
    for (const { port, protocol } of props.ports) {
      for (const [family, range] of anywhere) {
        new VpcSecurityGroupIngressRule(this, `in-${protocol}-${port}-${family}`, {
          securityGroupId: this.hostGroup.id,
          ipProtocol: protocol,
          fromPort: port,
          toPort: port,
          ...range,
          description: `players (${protocol}/${port})`,
        });
      }
    }
    for (const [family, range] of anywhere) {
      new VpcSecurityGroupEgressRule(this, `out-https-${family}`, {
        securityGroupId: this.hostGroup.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        ...range,
        description: 'container images, ECS, SSM and CloudWatch APIs',
      });
    }
    new VpcSecurityGroupEgressRule(this, 'out-nfs', {
      securityGroupId: this.hostGroup.id,
      ipProtocol: 'tcp',
      fromPort: 2049,
      toPort: 2049,
      referencedSecurityGroupId: this.mountTargetGroup.id,
      description: 'NFS to this game\'s world',
    });
    for (const rule of props.egress ?? []) {
      const last = rule.toPort ?? rule.port;
      const ports = last === rule.port ? `${rule.port}` : `${rule.port}-${last}`;
      new VpcSecurityGroupEgressRule(this, `out-${rule.protocol}-${ports}-${rule.cidr.replace(/[./]/g, '-')}`, {
        securityGroupId: this.hostGroup.id,
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: last,
        cidrIpv4: rule.cidr,
        description: terraformLiteral(rule.description ?? 'declared by the game configuration'),
      });
    }
    new VpcSecurityGroupIngressRule(this, 'nfs-from-host', {
      securityGroupId: this.mountTargetGroup.id,
      ipProtocol: 'tcp',
      fromPort: 2049,
      toPort: 2049,
      referencedSecurityGroupId: this.hostGroup.id,
      description: `NFS from the ${props.gameId} host`,
    });
  }
}

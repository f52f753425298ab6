/** The network: what may come in, what may go out, and what costs money for nothing. */
import { blocks, gameOf, referenced, resourcesOfType, type Rule, type RuleFinding } from '../model';
import { describeRule, firewallRules, isWorld } from './security-groups';

export const worldIngressOnlyGamePorts: Rule = {
  id: 'net-world-ingress-game-ports',
  severity: 'high',
  title: 'Open to the world only on the game\'s ports',
  protects: 'Every other service on the host (the ECS agent, anything a container listens on) from the internet.',
  fix: 'Open to 0.0.0.0/0 and ::/0 only the ports listed in games.<id>.ports, each with its protocol; nothing else inbound.',
  check(context) {
    return firewallRules(context).filter((rule) => rule.direction === 'ingress' && isWorld(rule)).flatMap((rule): RuleFinding[] => {
      const gameId = gameOf(context, rule.group ?? rule.resource) ?? gameOf(context, rule.resource);
      const game = context.config.games.find((g) => g.id === gameId);
      if (!game) return [{ resource: rule.resource, detail: `${describeRule(rule)}: open to the world but belongs to no game` }];
      const declared = (port: number) => game.ports.some((p) => p.port === port && p.protocol === rule.protocol);
      // A range is fine only when every port in it is a game port (ranges are rare; stop at the first stray port).
      for (let port = rule.fromPort; port <= rule.toPort; port += 1) {
        if (!declared(port)) return [{ resource: rule.resource, detail: `${describeRule(rule)}: ${rule.protocol === '-1' ? 'every protocol' : `${rule.protocol}/${port}`} is not a port of game ${game.id}` }];
      }
      return [];
    });
  },
};

export const noSsh: Rule = {
  id: 'net-no-ssh',
  severity: 'high',
  title: 'No SSH port open',
  protects: 'The host from password and key guessing on port 22; operators reach it with Session Manager, which needs no open port.',
  fix: 'Remove the rule that opens tcp/22 (a game listening on 22 must use another port); use gm shell for a shell on the host.',
  check(context) {
    return firewallRules(context)
      .filter((rule) => rule.direction === 'ingress' && (rule.protocol === 'tcp' || rule.protocol === '-1') && rule.fromPort <= 22 && rule.toPort >= 22)
      .map((rule) => ({ resource: rule.resource, detail: `${describeRule(rule)} includes SSH (tcp/22)` }));
  },
};

export const egressDeclared: Rule = {
  id: 'net-egress-declared',
  severity: 'high',
  title: 'Egress declared, never all traffic to everywhere',
  protects: 'Against a compromised game container sending anything anywhere (spam, attacks, data out) through an allow-all egress rule.',
  fix: 'List each outbound need as its own rule (HTTPS 443, NFS to the world, games.<id>.egress); remove protocol -1 to 0.0.0.0/0 or ::/0.',
  check(context) {
    const rules = firewallRules(context);
    const allToWorld = rules.filter((rule) => rule.direction === 'egress' && rule.protocol === '-1' && isWorld(rule))
      .map((rule) => ({ resource: rule.resource, detail: `${describeRule(rule)}: every protocol and port to everywhere` }));
    // A group open to players with no outbound rule at all is an undeclared egress (and a host that cannot start).
    const groupsOpenToWorld = new Set(rules.filter((r) => r.direction === 'ingress' && isWorld(r) && r.group).map((r) => r.group!));
    const undeclared = [...groupsOpenToWorld].filter((group) => !rules.some((r) => r.direction === 'egress' && r.group === group))
      .map((group) => ({ resource: group, detail: 'no egress rule declared for this group' }));
    return [...allToWorld, ...undeclared];
  },
};

export const defaultGroupLocked: Rule = {
  id: 'net-default-sg-locked',
  severity: 'medium',
  title: 'The VPC\'s default security group allows nothing',
  protects: 'Anything launched without a group of its own from the default group\'s allow-all rules.',
  fix: 'Manage the VPC\'s default group with aws_default_security_group and no ingress or egress blocks.',
  check(context) {
    const defaults = resourcesOfType(context, 'aws_default_security_group');
    const unmanaged = resourcesOfType(context, 'aws_vpc').filter((r) => r.kind === 'synth')
      .filter((vpc) => !defaults.some((d) => referenced(context, d, d.values.vpc_id) === vpc))
      .map((vpc) => ({ resource: vpc, detail: 'its default security group is not managed (AWS leaves it open within the group and to everywhere outbound)' }));
    const open = defaults.filter((d) => blocks(d.values, 'ingress').length > 0 || blocks(d.values, 'egress').length > 0)
      .map((d) => ({ resource: d, detail: 'the default group has rules' }));
    return [...unmanaged, ...open];
  },
};

/** Resource types that run up a bill by the hour whether anyone plays or not. */
const ALWAYS_BILLED = ['aws_nat_gateway', 'aws_lb', 'aws_alb', 'aws_elb', 'aws_globalaccelerator_accelerator'];

export const noNatOrLoadBalancer: Rule = {
  id: 'net-no-nat-or-lb',
  severity: 'medium',
  title: 'No NAT gateway or load balancer',
  protects: 'The bill: each costs about $16–32 a month while the game is stopped; the host has a public address and players connect to it directly.',
  fix: 'Remove the NAT gateway or load balancer; keep the host in the public subnet with only the game ports open.',
  check(context) {
    return resourcesOfType(context, ...ALWAYS_BILLED).map((r) => ({ resource: r, detail: `${r.type} is billed every hour, played or not` }));
  },
};

export const NETWORK_RULES: readonly Rule[] = [worldIngressOnlyGamePorts, noSsh, egressDeclared, defaultGroupLocked, noNatOrLoadBalancer];

import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';
import { PLACEHOLDER_IPV4, PLACEHOLDER_IPV6, RECORD_TTL_SECONDS } from '../../runtime/dns';

export interface GameDnsProps {
  readonly zoneId: string;
  /** Full name of the game, without trailing dot. */
  readonly fqdn: string;
  /** Also an AAAA record. Default false. */
  readonly ipv6?: boolean;
  /** SRV record (`_minecraft._tcp.<fqdn>`) pointing at `fqdn`. Default none. */
  readonly srv?: { readonly name: string; readonly port: number };
}

/** SRV answers change only when the config does; a minute of caching is harmless. */
export const SRV_TTL_SECONDS = 60;

/**
 * The game's address. While it is stopped the A/AAAA records hold a
 * documentation address (192.0.2.1 / 2001:db8::1 — never 0.0.0.0, which a
 * client would take as itself); the instance hook moves them to the host and
 * back, so Terraform ignores their values after creating them.
 */
export class GameDns extends Construct {
  readonly a: Route53Record;
  readonly aaaa?: Route53Record;
  readonly srv?: Route53Record;

  constructor(scope: Construct, id: string, props: GameDnsProps) {
    super(scope, id);
    this.a = new Route53Record(this, 'a', {
      zoneId: props.zoneId,
      name: props.fqdn,
      type: 'A',
      ttl: RECORD_TTL_SECONDS,
      records: [PLACEHOLDER_IPV4],
      lifecycle: { ignoreChanges: ['records'] },
    });
    if (props.ipv6) {
      this.aaaa = new Route53Record(this, 'aaaa', {
        zoneId: props.zoneId,
        name: props.fqdn,
        type: 'AAAA',
        ttl: RECORD_TTL_SECONDS,
        records: [PLACEHOLDER_IPV6],
        lifecycle: { ignoreChanges: ['records'] },
      });
    }
    if (props.srv) {
      // Minecraft Java clients ask for this first; it must exist so the lookup reaches Route53 (and wakes the game).
      this.srv = new Route53Record(this, 'srv', {
        zoneId: props.zoneId,
        name: props.srv.name,
        type: 'SRV',
        ttl: SRV_TTL_SECONDS,
        records: [`0 5 ${props.srv.port} ${props.fqdn}.`],
      });
    }
  }
}

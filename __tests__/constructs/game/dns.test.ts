import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Testing } from 'cdktf';
import { PLACEHOLDER_IPV4, RECORD_TTL_SECONDS } from '../../../src/runtime/dns';
import { configDocument, minecraft, valheim } from '../support/fixtures';
import { resources, synthDocument, type SynthesizedApp } from '../support/synth';

Testing.setupJest();

describe('game DNS', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({
      mc: minecraft(),
      vh: valheim(),
      bedrock: {
        hostname: 'be.mc',
        image: 'itzg/minecraft-bedrock-server',
        instanceType: 't4g.small',
        ports: [{ port: 19132, protocol: 'udp' }],
        srv: { service: 'minecraft', protocol: 'udp' },
        watchdog: { probe: { type: 'connections' } },
      },
    }));
  });

  it('creates each game\'s A record at the documentation placeholder, never 0.0.0.0, with a low TTL', () => {
    for (const name of ['mc.example.com', 'vh.example.com', 'be.mc.example.com']) {
      expect(synth.main.text).toHaveResourceWithProperties(Route53Record, { name, type: 'A', records: [PLACEHOLDER_IPV4] });
    }
    expect(PLACEHOLDER_IPV4).toBe('192.0.2.1');
    const a = resources(synth.main.json, 'aws_route53_record').filter((r) => r.body.type === 'A');
    expect(a).toHaveLength(3);
    for (const record of a) {
      expect(record.body.records).not.toContain('0.0.0.0');
      expect(record.body.ttl).toBe(RECORD_TTL_SECONDS);
      expect(Number(record.body.ttl)).toBeLessThanOrEqual(60);
    }
  });

  it('lets the runtime own the address: records are ignored after creation', () => {
    for (const record of resources(synth.main.json, 'aws_route53_record').filter((r) => r.body.type === 'A')) {
      expect((record.body.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes).toEqual(expect.arrayContaining(['records']));
    }
  });

  it('creates the Minecraft Java SRV record for the minecraft query probe', () => {
    expect(synth.main.text).toHaveResourceWithProperties(Route53Record, {
      name: '_minecraft._tcp.mc.example.com',
      type: 'SRV',
      ttl: 60,
      records: ['0 5 25565 mc.example.com.'],
    });
  });

  it('creates a configured SRV record for its protocol and first port of that protocol', () => {
    expect(synth.main.text).toHaveResourceWithProperties(Route53Record, {
      name: '_minecraft._udp.be.mc.example.com',
      type: 'SRV',
      records: ['0 5 19132 be.mc.example.com.'],
    });
  });

  it('creates no SRV record for a game with the connections probe and no srv', () => {
    const srv = resources(synth.main.json, 'aws_route53_record').filter((r) => r.body.type === 'SRV');
    expect(srv.map((r) => r.body.name).sort()).toEqual(['_minecraft._tcp.mc.example.com', '_minecraft._udp.be.mc.example.com']);
    expect(resources(synth.main.json, 'aws_route53_record').filter((r) => String(r.body.name).endsWith('vh.example.com')).map((r) => r.body.type))
      .toEqual(['A']);
  });
});

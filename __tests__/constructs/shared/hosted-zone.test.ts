import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Route53QueryLog } from '@cdktf/provider-aws/lib/route53-query-log';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Testing } from 'cdktf';
import { actionsOf, readPolicy } from '../support/hcl';
import { configDocument, minecraft } from '../support/fixtures';
import { only, ref, resources, synthDocument, type SynthesizedApp, type TerraformJson } from '../support/synth';

Testing.setupJest();

const ADOPTED_ZONE = 'Z0123456789ABCDEFGHIJ';
const US_EAST_1 = 'aws.us_east_1';

/** The query-log group, its resource policy and the query-log config, all on the us_east_1 alias. */
function expectQueryLogging(json: TerraformJson, text: string, zoneId: string): void {
  expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
    provider: US_EAST_1,
    name: '/aws/route53/example.com',
    retention_in_days: 1,
  });
  const group = only(json, 'aws_cloudwatch_log_group', (b) => b.name === '/aws/route53/example.com');
  const groupArn = ref('aws_cloudwatch_log_group', group, 'arn');

  const policy = only(json, 'aws_cloudwatch_log_resource_policy', (b) => String(b.policy_name).includes('route53-query-logs'));
  expect(policy.body.provider).toBe(US_EAST_1);
  const statements = readPolicy(policy.body.policy_document).Statement;
  expect(statements).toHaveLength(1);
  expect(statements[0]).toMatchObject({
    Effect: 'Allow',
    Principal: { Service: 'route53.amazonaws.com' },
    Resource: `${groupArn}:*`,
    Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:route53:::hostedzone/${zoneId}` } },
  });
  expect(actionsOf(statements[0]!).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);

  expect(text).toHaveResourceWithProperties(Route53QueryLog, {
    provider: US_EAST_1,
    zone_id: zoneId,
    cloudwatch_log_group_arn: groupArn,
  });
  // Route53 checks the policy when the query log is created.
  expect(only(json, 'aws_route53_query_log').body.depends_on).toEqual(expect.arrayContaining([`aws_cloudwatch_log_resource_policy.${policy.name}`]));
}

describe('hosted zone, created (no hostedZoneId)', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft() }));
  });

  it('creates a public zone for the domain and outputs its name servers', () => {
    expect(resources(synth.main.json, 'aws_route53_zone')).toHaveLength(1);
    expect(synth.main.text).toHaveResourceWithProperties(Route53Zone, { name: 'example.com' });
    const zone = only(synth.main.json, 'aws_route53_zone');
    expect(zone.body).not.toHaveProperty('vpc');
    // A stable, readable name: `cdktf output gamemanagement` shows it as name_servers.
    expect(synth.main.json.output?.name_servers).toEqual(expect.objectContaining({ value: ref('aws_route53_zone', zone, 'name_servers') }));
  });

  it('logs the zone\'s queries to us-east-1, one day, writable by Route53 for this zone only', () => {
    const zone = only(synth.main.json, 'aws_route53_zone');
    expectQueryLogging(synth.main.json, synth.main.text, ref('aws_route53_zone', zone, 'zone_id'));
  });

  it('keeps the game records in that zone', () => {
    const zoneId = ref('aws_route53_zone', only(synth.main.json, 'aws_route53_zone'), 'zone_id');
    const records = resources(synth.main.json, 'aws_route53_record');
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.body.zone_id).toBe(zoneId);
  });
});

describe('hosted zone, adopted (hostedZoneId)', () => {
  let synth: SynthesizedApp;
  beforeAll(() => {
    synth = synthDocument(configDocument({ mc: minecraft() }, { domain: { name: 'example.com', hostedZoneId: ADOPTED_ZONE } }));
  });

  it('creates no zone and no name-servers output', () => {
    expect(resources(synth.main.json, 'aws_route53_zone')).toEqual([]);
    const outputs = Object.values(synth.main.json.output ?? {});
    expect(outputs.filter((o) => String(o.value).includes('name_servers'))).toEqual([]);
  });

  it('turns query logging on for the adopted zone, scoped to its id', () => {
    expectQueryLogging(synth.main.json, synth.main.text, ADOPTED_ZONE);
  });

  it('puts the game records in the adopted zone', () => {
    const records = resources(synth.main.json, 'aws_route53_record');
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.body.zone_id).toBe(ADOPTED_ZONE);
  });
});

import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53QueryLog } from '@cdktf/provider-aws/lib/route53-query-log';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument } from '../support/iam-document';
import { resourceName } from '../support/naming';

export interface HostedZoneProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Domain the games live under. */
  readonly domainName: string;
  /** Adopt this zone instead of creating one. Default: create. */
  readonly existingZoneId?: string;
  /** The `us_east_1` provider alias: Route53 logs queries only to us-east-1. */
  readonly usEast1: AwsProvider;
}

/**
 * The public hosted zone with query logging switched on. Query logs are what
 * wakes a game: each lookup becomes a log line the waker reads. Logs are kept
 * one day — they are a trigger, not an archive.
 */
export class HostedZone extends Construct {
  readonly zoneId: string;
  readonly queryLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    if (props.existingZoneId) {
      this.zoneId = props.existingZoneId;
    } else {
      const zone = new Route53Zone(this, 'zone', {
        name: props.domainName,
        comment: 'GameManagement: game servers that start on a DNS lookup',
      });
      this.zoneId = zone.zoneId;
      new TerraformOutput(this, 'name-servers', {
        value: zone.nameServers,
        description: `Delegate ${props.domainName} to these name servers (NS records at the parent zone or registrar).`,
      }).overrideLogicalId('name_servers');
    }
    new TerraformOutput(this, 'zone-id', { value: this.zoneId, description: 'Route53 hosted zone of the games' }).overrideLogicalId('zone_id');

    // Route53 requires this name prefix for query-log groups it writes to.
    this.queryLogGroup = new CloudwatchLogGroup(this, 'query-log', {
      provider: props.usEast1,
      name: `/aws/route53/${props.domainName}`,
      retentionInDays: 1,
    });
    const policy = new CloudwatchLogResourcePolicy(this, 'query-log-policy', {
      provider: props.usEast1,
      policyName: resourceName(props.prefix, 'route53-query-logs', props.domainName.replace(/\./g, '-')),
      policyDocument: policyDocument({
        Sid: 'Route53WritesQueryLogsOfThisZone',
        Effect: 'Allow',
        Principal: { Service: 'route53.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${this.queryLogGroup.arn}:*`,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:route53:::hostedzone/${this.zoneId}` } },
      }),
    });
    new Route53QueryLog(this, 'query-logging', {
      provider: props.usEast1,
      zoneId: this.zoneId,
      cloudwatchLogGroupArn: this.queryLogGroup.arn,
      dependsOn: [policy],
    });
  }
}

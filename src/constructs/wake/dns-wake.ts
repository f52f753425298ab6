import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { WakeTarget } from '../../runtime/contract';
import { BundledFunction } from '../support/bundled-function';
import { resourceName } from '../support/naming';

export interface DnsWakeProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** The zone's query-log group (us-east-1). */
  readonly queryLogGroup: CloudwatchLogGroup;
  /** The `us_east_1` provider alias. */
  readonly usEast1: AwsProvider;
  /** Region of the games' Auto Scaling groups. */
  readonly gameRegion: string;
  /** Games of this zone, with the ARN of each one's Auto Scaling group. */
  readonly games: readonly (WakeTarget & { readonly asgArn: string })[];
  readonly topicArn: string;
}

/**
 * DNS lookups wake games. Route53 writes each query to a log group in
 * us-east-1; one subscription filter (AWS only guarantees one or two per log
 * group) sends every line to one waker, which routes by query name and type
 * to the game and raises that game's Auto Scaling group — in the game
 * region, the one explicit cross-region call.
 */
export class DnsWake extends Construct {
  readonly waker: BundledFunction;

  constructor(scope: Construct, id: string, props: DnsWakeProps) {
    super(scope, id);
    const targets: WakeTarget[] = props.games.map(({ asgArn: _arn, ...target }) => target);
    this.waker = new BundledFunction(this, 'waker', {
      provider: props.usEast1,
      entry: 'waker',
      functionName: resourceName(props.prefix, 'waker'),
      description: 'Starts a game when a player looks up its name',
      timeoutSeconds: 60,
      memoryMiB: 256,
      environment: {
        GM_GAMES: JSON.stringify(targets),
        GM_GAME_REGION: props.gameRegion,
        GM_TOPIC_ARN: props.topicArn,
      },
      statements: [
        // Describe calls cannot be scoped to a resource.
        { Sid: 'ReadGroups', Effect: 'Allow', Action: 'autoscaling:DescribeAutoScalingGroups', Resource: '*' },
        { Sid: 'StartGames', Effect: 'Allow', Action: 'autoscaling:SetDesiredCapacity', Resource: props.games.map((g) => g.asgArn) },
        { Sid: 'Notify', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
      ],
    });
    // A lookup while the previous host is still saving is handed back (the function fails
    // on purpose) and retried by Lambda one and three minutes later, when the stop is over.
    // Older events are dropped: waking a game long after the lookup would surprise everyone.
    new LambdaFunctionEventInvokeConfig(this, 'retries', {
      provider: props.usEast1,
      functionName: this.waker.function.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 600,
    });
    const permission = new LambdaPermission(this, 'logs-invoke', {
      provider: props.usEast1,
      functionName: this.waker.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'logs.amazonaws.com',
      sourceArn: `${props.queryLogGroup.arn}:*`,
    });
    new CloudwatchLogSubscriptionFilter(this, 'subscription', {
      provider: props.usEast1,
      name: resourceName(props.prefix, 'wake-on-lookup'),
      logGroupName: props.queryLogGroup.name,
      // Every line: patterns are case-sensitive and DNS names are not; the waker matches properly.
      filterPattern: '',
      destinationArn: this.waker.function.arn,
      dependsOn: [permission],
    });
  }
}

import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import * as v from 'valibot';
import { checkedEnvironment } from '../../runtime/env';
import { ROUTES_FILE, WakeRoutesSchema, type WakeRoute } from '../../runtime/routes';
import { PENDING_WAKE_PARAMETER_LEAF, SESSION_PARAMETER_LEAF } from '../../runtime/names';
import { autoScalingGroupArn, parameterArn, scopeOf } from '../support/arn';
import { BundledFunction } from '../support/bundled-function';
import { DEPLOYMENT_TAG, resourceName } from '../support/naming';

export interface DnsWakeProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** The zone's query-log group (us-east-1). */
  readonly queryLogGroup: CloudwatchLogGroup;
  /** The `us_east_1` provider alias. */
  readonly usEast1: AwsProvider;
  /** Region of the games' Auto Scaling groups and parameters. */
  readonly gameRegion: string;
  /** The zone's games as the waker routes to them; plain data, packed into the waker's zip as routes.json. */
  readonly routes: readonly WakeRoute[];
  /** Alerts topic (game region): the "starting" notices. */
  readonly topicArn: string;
  /** Addresses told when the waker fails for good (each confirms this topic once too). Default none. */
  readonly alertEmails?: readonly string[];
}

/** Problems of a routing table that the waker's role (granted by name pattern) could not serve. */
export function routeProblems(prefix: string, routes: readonly WakeRoute[]): string[] {
  const parsed = v.safeParse(WakeRoutesSchema, routes);
  if (!parsed.success) return parsed.issues.map((i) => `routes.json ${v.getDotPath(i) ?? '(table)'}: ${i.message}`);
  const problems: string[] = [];
  const ids = routes.map((r) => r.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`game ${id} is routed more than once`);
  for (const route of routes) {
    if (!route.asgName.startsWith(`${prefix}-`)) problems.push(`game ${route.id}: group ${route.asgName} is not named ${prefix}-*`);
    if (route.sessionParameterName !== `/${prefix}/${route.id}/${SESSION_PARAMETER_LEAF}`) {
      problems.push(`game ${route.id}: session parameter ${route.sessionParameterName} is not /${prefix}/${route.id}/${SESSION_PARAMETER_LEAF}`);
    }
    if (route.pendingWakeParameterName !== `/${prefix}/${route.id}/${PENDING_WAKE_PARAMETER_LEAF}`) {
      problems.push(`game ${route.id}: pending-wake parameter ${route.pendingWakeParameterName} is not /${prefix}/${route.id}/${PENDING_WAKE_PARAMETER_LEAF}`);
    }
  }
  return problems;
}

/**
 * DNS lookups wake games. Route53 writes each query to a log group in
 * us-east-1; one subscription filter (AWS only guarantees one or two per log
 * group) sends every line to one waker, which routes by query name and type
 * to the game and starts it — in the game region, the one explicit
 * cross-region path (Auto Scaling and SSM calls).
 *
 * Its size does not grow with the games: the routing table is a file in the
 * zip (routes.json), not environment (4 KB), and the role grants by name
 * pattern (`<prefix>-*` groups, `/<prefix>/<game>/session` parameters), not
 * by listing every game (10,240 characters of policy).
 *
 * A final failure (after Lambda's retries) goes to a topic beside the waker,
 * in us-east-1: the alerts topic and the failsafes are in the game region,
 * and AWS documents no destination in another region, so none is relied on.
 * The alert addresses are subscribed to it (each confirms it once) and so is
 * the Discord notifier when there is one (see `DiscordNotifier.subscribeTo`;
 * SNS delivers to a function in another region).
 */
export class DnsWake extends Construct {
  readonly waker: BundledFunction;
  /** us-east-1: where the waker's final failures go. */
  readonly failures: SnsTopic;

  constructor(scope: Construct, id: string, props: DnsWakeProps) {
    super(scope, id);
    const problems = routeProblems(props.prefix, props.routes);
    if (problems.length > 0) throw new Error(`the waker cannot route these games: ${problems.join('; ')}`);
    const games = scopeOf(props.topicArn, props.gameRegion);

    this.failures = new SnsTopic(this, 'failures', {
      provider: props.usEast1,
      name: resourceName(props.prefix, 'waker-failures'),
    });
    for (const email of props.alertEmails ?? []) {
      // Keyed by address, so reordering the list changes nothing.
      new SnsTopicSubscription(this, `email-${email.toLowerCase()}`, {
        provider: props.usEast1,
        topicArn: this.failures.arn,
        protocol: 'email',
        endpoint: email,
      });
    }

    this.waker = new BundledFunction(this, 'waker', {
      provider: props.usEast1,
      entry: 'waker',
      functionName: resourceName(props.prefix, 'waker'),
      description: 'Starts a game when a player looks up its name',
      timeoutSeconds: 60,
      memoryMiB: 256,
      extraFiles: { [ROUTES_FILE]: `${JSON.stringify(props.routes, null, 1)}\n` },
      environment: checkedEnvironment('waker', { GM_GAME_REGION: props.gameRegion, GM_TOPIC_ARN: props.topicArn }, 'the zone'),
      statements: [
        // Describe calls cannot be scoped to a resource.
        // The warm pool too: a wake must wait for an instance that saves on its way back there.
        { Sid: 'ReadGroups', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeWarmPool'], Resource: '*' },
        {
          Sid: 'StartGames',
          Effect: 'Allow',
          Action: 'autoscaling:SetDesiredCapacity',
          Resource: autoScalingGroupArn(games, `${props.prefix}-*`),
          // The name pattern alone would also match another deployment whose name starts with `<prefix>-`.
          Condition: { StringEquals: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: props.prefix } },
        },
        {
          // Created and deleted at run time (never by Terraform): claiming a session is what makes a start happen once.
          Sid: 'ClaimSessions',
          Effect: 'Allow',
          Action: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'],
          Resource: [
            parameterArn(games, `/${props.prefix}/*/${SESSION_PARAMETER_LEAF}`),
            parameterArn(games, `/${props.prefix}/*/${PENDING_WAKE_PARAMETER_LEAF}`),
          ],
        },
        { Sid: 'Notify', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
      ],
      // A failed batch (AWS errors) is retried by Lambda one and three minutes later; starts are
      // idempotent (sessions). Older events are dropped: waking a game long after the lookup would
      // surprise everyone. What still fails goes to the user.
      asyncInvocation: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600, onFailure: { topicArn: this.failures.arn } },
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

import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import type { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { gameFunctionEnvironment } from '../../runtime/env';
import type { RuntimeGame } from '../../runtime/game';
import { parameterArn, scopeOf } from '../support/arn';
import { BundledFunction } from '../support/bundled-function';
import type { GameWatchdog } from './watchdog';
import { resourceName } from '../support/naming';

export interface GameLifecycleProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Region of the game (its parameters). */
  readonly region: string;
  readonly game: RuntimeGame;
  readonly group: AutoscalingGroup;
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  /** The game's watchdog; its failsafe also receives the instance hook's final failures. */
  readonly watchdog: GameWatchdog;
  readonly zoneId: string;
  readonly topicArn: string;
}

/** The hook function may wait this long; hooks time out after it, so a save is never cut short. */
export const INSTANCE_HOOK_TIMEOUT_SECONDS = 300;
/** Seconds a lifecycle action waits for the hook before it continues on its own. */
export const HOOK_HEARTBEAT_SECONDS = 360;

/**
 * What happens when the game's instance comes and goes. Lifecycle hooks hold
 * the instance while the instance hook works: on launch it switches the
 * watchdog on, starts the newest task definition and points DNS at the new
 * address; before termination it drains the game (SIGTERM, time to save),
 * puts DNS back to the placeholder and switches the watchdog off, then
 * ends the session (and starts again when a wake came during the stop). A
 * launch that fails ("EC2 Instance Launch Unsuccessful") reaches it too, so
 * a spot game can fall back to on-demand for one start. If the function
 * fails, the hooks continue at their timeout — an instance is never stuck —
 * and the failure record goes to the failsafe.
 */
export class GameLifecycle extends Construct {
  readonly hook: BundledFunction;

  constructor(scope: Construct, id: string, props: GameLifecycleProps) {
    super(scope, id);
    const { game, group, cluster, service, watchdog, topicArn } = props;
    const where = scopeOf(group.arn, props.region);
    const sessionParameters = [parameterArn(where, game.sessionParameterName), parameterArn(where, game.pendingWakeParameterName)];
    const clusterChild = (kind: string) => `${Fn.replace(cluster.arn, ':cluster/', `:${kind}/`)}/*`;
    this.hook = new BundledFunction(this, 'instance-hook', {
      entry: 'instance-hook',
      functionName: resourceName(props.prefix, game.id, 'instance-hook'),
      description: `Moves ${game.fqdn} to its new instance and drains it before a stop`,
      timeoutSeconds: INSTANCE_HOOK_TIMEOUT_SECONDS,
      memoryMiB: 256,
      environment: gameFunctionEnvironment('instance-hook', game, topicArn),
      statements: [
        // The warm pool too: an instance on its way back there still holds the world while it saves.
        { Sid: 'ReadInstances', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeWarmPool', 'ec2:DescribeInstances'], Resource: '*' },
        { Sid: 'CompleteHooks', Effect: 'Allow', Action: 'autoscaling:CompleteLifecycleAction', Resource: group.arn },
        { Sid: 'StartGame', Effect: 'Allow', Action: 'autoscaling:SetDesiredCapacity', Resource: group.arn },
        // Spot only: the on-demand base capacity, raised for one start after spot launches failed. With no
        // launch template in the request, AWS checks no ec2:RunInstances or iam:PassRole, so none is granted.
        ...(game.spot ? [{ Sid: 'FallBackToOnDemand', Effect: 'Allow' as const, Action: 'autoscaling:UpdateAutoScalingGroup', Resource: group.arn }] : []),
        { Sid: 'SwitchWatchdog', Effect: 'Allow', Action: ['events:EnableRule', 'events:DisableRule'], Resource: watchdog.schedule.arn },
        { Sid: 'ResetState', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: watchdog.stateParameter.arn },
        // Created and deleted at run time (never by Terraform): the session and a wake that came during a stop.
        { Sid: 'KeepSession', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'], Resource: sessionParameters },
        { Sid: 'StartAndDrainGame', Effect: 'Allow', Action: 'ecs:UpdateService', Resource: service.id },
        { Sid: 'FindHost', Effect: 'Allow', Action: 'ecs:ListContainerInstances', Resource: cluster.arn },
        { Sid: 'DrainHost', Effect: 'Allow', Action: 'ecs:UpdateContainerInstancesState', Resource: clusterChild('container-instance') },
        { Sid: 'ListTasks', Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': cluster.arn } } },
        { Sid: 'ReadTasks', Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: clusterChild('task') },
        {
          Sid: 'MoveOwnRecords',
          Effect: 'Allow',
          Action: 'route53:ChangeResourceRecordSets',
          Resource: `arn:${where.partition}:route53:::hostedzone/${props.zoneId}`,
          Condition: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': [game.fqdn],
              'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA'],
              'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
            },
          },
        },
        { Sid: 'Notify', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
      ],
      // Retries still matter after the hook timed out: a stop must end its session and put DNS back.
      asyncInvocation: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600, onFailure: { functionArn: watchdog.failsafe.function.arn } },
    });

    for (const [key, transition] of [['launch', 'autoscaling:EC2_INSTANCE_LAUNCHING'], ['terminate', 'autoscaling:EC2_INSTANCE_TERMINATING']] as const) {
      new AutoscalingLifecycleHook(this, `${key}-hook`, {
        name: resourceName(props.prefix, game.id, key),
        autoscalingGroupName: group.name,
        lifecycleTransition: transition,
        heartbeatTimeout: HOOK_HEARTBEAT_SECONDS,
        // A failed hook must never keep an instance from starting or stopping.
        defaultResult: 'CONTINUE',
      });
    }
    const lifecycleRule = new CloudwatchEventRule(this, 'lifecycle', {
      name: resourceName(props.prefix, game.id, 'lifecycle'),
      description: `Launch and terminate lifecycle actions of ${game.id}`,
      eventPattern: JSON.stringify({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action'],
        detail: { AutoScalingGroupName: [game.asgName] },
      }),
    });
    const launchFailed = new CloudwatchEventRule(this, 'launch-failed', {
      name: resourceName(props.prefix, game.id, 'launch-failed'),
      description: `Launches of ${game.id} that failed (no capacity, spot unavailable)`,
      eventPattern: JSON.stringify({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance Launch Unsuccessful'],
        detail: { AutoScalingGroupName: [game.asgName] },
      }),
    });
    // Keyed so that adding a rule leaves the others' targets and permissions where they are.
    const rules: [string, CloudwatchEventRule][] = [['0', lifecycleRule]];
    if (game.spot) {
      // Spot notices cannot be filtered by group; the function ignores other groups' instances.
      rules.push(['1', new CloudwatchEventRule(this, 'spot-warning', {
        name: resourceName(props.prefix, game.id, 'spot-warning'),
        description: `Spot interruption notices, drained by ${game.id}'s instance hook when they are its own`,
        eventPattern: JSON.stringify({ source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] }),
      })]);
    }
    rules.push(['launch-failed', launchFailed]);
    for (const [key, rule] of rules) {
      new CloudwatchEventTarget(this, `target-${key}`, { rule: rule.name, targetId: 'instance-hook', arn: this.hook.function.arn });
      new LambdaPermission(this, `invoke-${key}`, {
        functionName: this.hook.function.functionName,
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
    }
  }
}

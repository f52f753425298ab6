import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import type { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { RuntimeGame } from '../../runtime/contract';
import { partitionOf } from '../support/arn';
import { BundledFunction } from '../support/bundled-function';
import type { GameWatchdog } from './watchdog';
import { resourceName } from '../support/naming';

export interface GameLifecycleProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  readonly game: RuntimeGame;
  readonly group: AutoscalingGroup;
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly watchdog: GameWatchdog;
  readonly zoneId: string;
  readonly topicArn: string;
  /** Also drain on spot interruption notices. Default false. */
  readonly spot?: boolean;
}

/** The hook function may wait this long; hooks time out after it, so a save is never cut short. */
export const INSTANCE_HOOK_TIMEOUT_SECONDS = 300;
const HOOK_HEARTBEAT_SECONDS = 360;

/**
 * What happens when the game's instance comes and goes. Lifecycle hooks hold
 * the instance while the instance hook works: on launch it switches the
 * watchdog on, starts the newest task definition and points DNS at the new
 * address; before termination it drains the game (SIGTERM, time to save),
 * puts DNS back to the placeholder and switches the watchdog off. If the
 * function fails, the hooks continue at their timeout — an instance is never
 * stuck.
 */
export class GameLifecycle extends Construct {
  readonly hook: BundledFunction;

  constructor(scope: Construct, id: string, props: GameLifecycleProps) {
    super(scope, id);
    const { game, group, cluster, service, watchdog, topicArn } = props;
    this.hook = new BundledFunction(this, 'instance-hook', {
      entry: 'instance-hook',
      functionName: resourceName(props.prefix, game.id, 'instance-hook'),
      description: `Moves ${game.fqdn} to its new instance and drains it before a stop`,
      timeoutSeconds: INSTANCE_HOOK_TIMEOUT_SECONDS,
      memoryMiB: 256,
      environment: { GM_GAME: JSON.stringify(game), GM_TOPIC_ARN: topicArn },
      statements: [
        { Sid: 'ReadInstances', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances'], Resource: '*' },
        { Sid: 'CompleteHooks', Effect: 'Allow', Action: 'autoscaling:CompleteLifecycleAction', Resource: group.arn },
        { Sid: 'SwitchWatchdog', Effect: 'Allow', Action: ['events:EnableRule', 'events:DisableRule'], Resource: watchdog.schedule.arn },
        { Sid: 'ResetState', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: watchdog.stateParameter.arn },
        { Sid: 'StartAndDrainGame', Effect: 'Allow', Action: 'ecs:UpdateService', Resource: service.id },
        { Sid: 'ListTasks', Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': cluster.arn } } },
        { Sid: 'ReadTasks', Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: `${Fn.replace(cluster.arn, ':cluster/', ':task/')}/*` },
        {
          Sid: 'MoveOwnRecords',
          Effect: 'Allow',
          Action: 'route53:ChangeResourceRecordSets',
          Resource: `arn:${partitionOf(group.arn)}:route53:::hostedzone/${props.zoneId}`,
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
    const rules = [lifecycleRule];
    if (props.spot) {
      // Spot notices cannot be filtered by group; the function ignores other groups' instances.
      rules.push(new CloudwatchEventRule(this, 'spot-warning', {
        name: resourceName(props.prefix, game.id, 'spot-warning'),
        description: `Spot interruption notices, drained by ${game.id}'s instance hook when they are its own`,
        eventPattern: JSON.stringify({ source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] }),
      }));
    }
    rules.forEach((rule, i) => {
      new CloudwatchEventTarget(this, `target-${i}`, { rule: rule.name, targetId: 'instance-hook', arn: this.hook.function.arn });
      new LambdaPermission(this, `invoke-${i}`, {
        functionName: this.hook.function.functionName,
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
    });
  }
}

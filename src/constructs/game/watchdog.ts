import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import type { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { gameFunctionEnvironment } from '../../runtime/env';
import type { RuntimeGame } from '../../runtime/game';
import { parameterArn, scopeOf } from '../support/arn';
import { BundledFunction } from '../support/bundled-function';
import { ConnectionsDocument } from './connections-document';
import { resourceName } from '../support/naming';

export interface GameWatchdogProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  readonly region: string;
  readonly game: RuntimeGame;
  readonly group: AutoscalingGroup;
  readonly cluster: EcsCluster;
  /** The game's service: the watchdog probes only once its container runs. */
  readonly service: EcsService;
  readonly topicArn: string;
}

/**
 * Stops the game when nobody plays, and the failsafes around that:
 * - the watchdog runs every minute, but only while an instance exists (the
 *   instance hook enables and disables its schedule; a disabled rule is free);
 * - when the watchdog itself fails three minutes in a row, its failure
 *   destination (the failsafe) stops the game — a free signal, no alarm;
 * - when the game container keeps crashing (ECS task events; ECS publishes no
 *   such metric), the failsafe stops the game;
 * - when the failsafe itself fails for good, the record of it goes to the
 *   alerts topic, so the user hears of it.
 */
export class GameWatchdog extends Construct {
  readonly watchdog: BundledFunction;
  readonly failsafe: BundledFunction;
  readonly schedule: CloudwatchEventRule;
  readonly stateParameter: SsmParameter;

  constructor(scope: Construct, id: string, props: GameWatchdogProps) {
    super(scope, id);
    const { game, group, cluster, service, topicArn } = props;
    const where = scopeOf(group.arn, props.region);
    const sessionParameterArn = parameterArn(where, game.sessionParameterName);

    this.stateParameter = new SsmParameter(this, 'state', {
      name: game.stateParameterName,
      description: `Watchdog state of game ${game.id} (written by its functions)`,
      type: 'String',
      value: '{}',
      lifecycle: { ignoreChanges: ['value'] },
    });
    const document = new ConnectionsDocument(this, 'count-connections', { name: game.connectionsDocumentName });

    this.schedule = new CloudwatchEventRule(this, 'schedule', {
      name: game.watchdogRuleName,
      description: `Runs the ${game.id} watchdog every minute while its instance exists`,
      scheduleExpression: 'rate(1 minute)',
      // Off until an instance launches; the instance hook switches it, so Terraform must not.
      state: 'DISABLED',
      lifecycle: { ignoreChanges: ['state'] },
    });

    this.failsafe = new BundledFunction(this, 'failsafe', {
      entry: 'failsafe',
      functionName: resourceName(props.prefix, game.id, 'failsafe'),
      description: `Stops ${game.fqdn} when its watchdog fails or the game crash-loops`,
      timeoutSeconds: 30,
      memoryMiB: 128,
      environment: gameFunctionEnvironment('failsafe', game, topicArn),
      statements: [
        { Sid: 'ReadGroup', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeWarmPool', 'ec2:DescribeInstances'], Resource: '*' },
        { Sid: 'StopGame', Effect: 'Allow', Action: 'autoscaling:SetDesiredCapacity', Resource: group.arn },
        // Reads the watchdog's state; a stop it makes is recorded there (reason `failsafe`, shown by `gm status`).
        { Sid: 'ReadStateRecordStop', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: this.stateParameter.arn },
        { Sid: 'ListStoppedTasks', Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': cluster.arn } } },
        { Sid: 'ReadStoppedTasks', Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: `${Fn.replace(cluster.arn, ':cluster/', ':task/')}/*` },
        { Sid: 'SeeWatchdogSchedule', Effect: 'Allow', Action: 'events:DescribeRule', Resource: this.schedule.arn },
        { Sid: 'Alert', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
      ],
      // Nothing stops the game if the failsafe fails: the record of it goes to the user.
      asyncInvocation: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600, onFailure: { topicArn } },
    });

    this.watchdog = new BundledFunction(this, 'watchdog', {
      entry: 'watchdog',
      functionName: resourceName(props.prefix, game.id, 'watchdog'),
      description: `Counts the players of ${game.fqdn} and stops it when idle`,
      // A booting game is probed every 5 s for up to 50 s of the run (plus one probe and the saves).
      timeoutSeconds: 70,
      memoryMiB: 256,
      environment: gameFunctionEnvironment('watchdog', game, topicArn),
      statements: [
        { Sid: 'FindInstance', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeWarmPool'], Resource: '*' },
        // The start's timeline: ECS's times of the running task and of its host's registration, read once per start.
        { Sid: 'FindStartTask', Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': cluster.arn } } },
        { Sid: 'ReadStartTask', Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: `${Fn.replace(cluster.arn, ':cluster/', ':task/')}/*` },
        { Sid: 'ReadHostRegistration', Effect: 'Allow', Action: 'ecs:DescribeContainerInstances', Resource: `${Fn.replace(cluster.arn, ':cluster/', ':container-instance/')}/*` },
        // The address players reach: the game's records, which the instance hook points at the instance.
        { Sid: 'ReadOwnRecords', Effect: 'Allow', Action: 'route53:ListResourceRecordSets', Resource: `arn:${where.partition}:route53:::hostedzone/${game.hostedZoneId}` },
        { Sid: 'StopGame', Effect: 'Allow', Action: 'autoscaling:SetDesiredCapacity', Resource: group.arn },
        { Sid: 'SeeGameContainer', Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: service.id },
        { Sid: 'KeepState', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: this.stateParameter.arn },
        { Sid: 'ReadSession', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: sessionParameterArn },
        // Only the probe the game uses: a query or traffic game has no use for Run Command on its host.
        ...(game.probe.type === 'connections' ? [
          { Sid: 'CountConnectionsDocument', Effect: 'Allow' as const, Action: 'ssm:SendCommand', Resource: document.document.arn },
          {
            Sid: 'CountConnectionsOnThisGamesHost',
            Effect: 'Allow' as const,
            Action: 'ssm:SendCommand',
            Resource: `arn:${where.partition}:ec2:${where.region}:${where.account}:instance/*`,
            Condition: { StringEquals: { 'ssm:resourceTag/gm:game': game.id } },
          },
          { Sid: 'ReadCommandOutput', Effect: 'Allow' as const, Action: 'ssm:GetCommandInvocation', Resource: '*' },
        ] : []),
        ...(game.probe.type === 'traffic' ? [{ Sid: 'ReadTraffic', Effect: 'Allow' as const, Action: 'cloudwatch:GetMetricData', Resource: '*' }] : []),
        { Sid: 'StopSchedule', Effect: 'Allow', Action: 'events:DisableRule', Resource: this.schedule.arn },
        { Sid: 'Notify', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
      ],
      // A missed minute is not worth a retry: the next run comes in a minute anyway. A failure goes to the failsafe.
      asyncInvocation: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60, onFailure: { functionArn: this.failsafe.function.arn } },
    });
    new CloudwatchEventTarget(this, 'schedule-target', {
      rule: this.schedule.name,
      targetId: 'watchdog',
      arn: this.watchdog.function.arn,
    });
    new LambdaPermission(this, 'schedule-invoke', {
      functionName: this.watchdog.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      sourceArn: this.schedule.arn,
    });

    const taskStopped = new CloudwatchEventRule(this, 'task-stopped', {
      name: resourceName(props.prefix, game.id, 'task-stopped'),
      description: `Stopped tasks of ${game.id}, to catch a crash loop`,
      eventPattern: JSON.stringify({
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: [cluster.arn], group: [`service:${game.serviceName}`], lastStatus: ['STOPPED'] },
      }),
    });
    new CloudwatchEventTarget(this, 'task-stopped-target', { rule: taskStopped.name, targetId: 'failsafe', arn: this.failsafe.function.arn });
    new LambdaPermission(this, 'task-stopped-invoke', {
      functionName: this.failsafe.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      sourceArn: taskStopped.arn,
    });
  }
}

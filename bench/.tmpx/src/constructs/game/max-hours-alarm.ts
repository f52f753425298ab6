import type { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { resourceName } from '../support/naming';

export interface MaxHoursAlarmProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  readonly gameId: string;
  readonly group: AutoscalingGroup;
  /** Hours an instance may stay up. */
  readonly maxHours: number;
  /** Also set the group to 0 when the alarm fires. Default false (alert only). */
  readonly stop?: boolean;
  readonly topicArn: string;
}

/**
 * The last line of defence, independent of every function: the group's own
 * (free) in-service metric, alarmed when an instance has been up for whole
 * hours beyond `maxHours`. The watchdog alerts on time; this catches the case
 * where the watchdog never ran. One alarm, $0.10 a month.
 */
export class MaxHoursAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MaxHoursAlarmProps) {
    super(scope, id);
    const actions = [props.topicArn];
    if (props.stop) {
      const stop = new AutoscalingPolicy(this, 'stop', {
        name: resourceName(props.prefix, props.gameId, 'stop-after-max-hours'),
        autoscalingGroupName: props.group.name,
        policyType: 'SimpleScaling',
        adjustmentType: 'ExactCapacity',
        scalingAdjustment: 0,
      });
      actions.push(stop.arn);
    }
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: resourceName(props.prefix, props.gameId, 'up-too-long'),
      alarmDescription: `${props.gameId} has been running for more than ${props.maxHours} h; the watchdog should have stopped it.`,
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensions: { AutoScalingGroupName: props.group.name },
      // Minimum over an hour >= 1: up for that whole hour.
      statistic: 'Minimum',
      period: 3600,
      evaluationPeriods: Math.ceil(props.maxHours),
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: actions,
    });
  }
}

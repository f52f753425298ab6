/**
 * Events as AWS delivers them to the functions, in the documented formats:
 * EventBridge events (the watchdog's schedule, Auto Scaling lifecycle
 * actions and failed launches, EC2 spot warnings) and the CloudWatch Logs
 * subscription event that carries Route53 query-log lines to the waker.
 * Defaults name the game of ./game.ts.
 */
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { encodeLogsPayload } from '../../src/lambdas/waker/decide';
import { ACCOUNT, DOMAIN, GAME, REGION, ZONE_ID } from './game';

/** When the events happen unless a test says otherwise. */
export const EVENT_TIME = '2025-06-01T18:00:00Z';

/**
 * What EventBridge sends the watchdog every minute (schedule rules:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html).
 */
export function scheduledEvent(time = EVENT_TIME, ruleName = GAME.watchdogRuleName): Record<string, unknown> {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time,
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${ruleName}`],
    detail: {},
  };
}

type Place = 'EC2' | 'AutoScalingGroup' | 'WarmPool';

const groupArn = (group: string) => `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:uuid:autoScalingGroupName/${group}`;

/**
 * A lifecycle action event as Auto Scaling sends it; format from
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
 * ("Scale-out lifecycle action", "Scale-in lifecycle action").
 */
export function lifecycleEvent(options: {
  transition: 'launch' | 'terminate';
  instanceId: string;
  origin?: Place;
  destination?: Place;
  group?: string;
  time?: string;
}): Record<string, unknown> {
  const launch = options.transition === 'launch';
  const group = options.group ?? GAME.asgName;
  return {
    version: '0',
    id: `evt-${options.instanceId}-${options.transition}`,
    'detail-type': launch ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action',
    source: 'aws.autoscaling',
    account: ACCOUNT,
    time: options.time ?? EVENT_TIME,
    region: REGION,
    resources: [groupArn(group)],
    detail: {
      LifecycleActionToken: `token-${options.instanceId}-${options.transition}`,
      AutoScalingGroupName: group,
      LifecycleHookName: `${group}-${launch ? 'launch' : 'terminate'}`,
      EC2InstanceId: options.instanceId,
      LifecycleTransition: launch ? 'autoscaling:EC2_INSTANCE_LAUNCHING' : 'autoscaling:EC2_INSTANCE_TERMINATING',
      Origin: options.origin ?? (launch ? 'EC2' : 'AutoScalingGroup'),
      Destination: options.destination ?? (launch ? 'AutoScalingGroup' : 'EC2'),
    },
  };
}

/**
 * EC2's two-minute warning; format from
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
 */
export function spotEvent(instanceId: string, time = EVENT_TIME): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${instanceId}-spot`,
    'detail-type': 'EC2 Spot Instance Interruption Warning',
    source: 'aws.ec2',
    account: ACCOUNT,
    time,
    region: REGION,
    resources: [`arn:aws:ec2:${REGION}b:instance/${instanceId}`],
    detail: { 'instance-id': instanceId, 'instance-action': 'terminate' },
  };
}

/**
 * "EC2 Instance Launch Unsuccessful", format from the Amazon EC2 Auto Scaling
 * event reference, "Unsuccessful scaling events":
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
 * (StatusMessage carries AWS's reason; EC2InstanceId is often empty because
 * no instance came to be).
 */
export function launchFailedEvent(options: { activityId: string; message?: string; instanceId?: string; group?: string; time?: string }): Record<string, unknown> {
  const group = options.group ?? GAME.asgName;
  const time = options.time ?? EVENT_TIME;
  return {
    version: '0',
    id: `evt-${options.activityId}`,
    'detail-type': 'EC2 Instance Launch Unsuccessful',
    source: 'aws.autoscaling',
    account: ACCOUNT,
    time,
    region: REGION,
    resources: [groupArn(group)],
    detail: {
      StatusCode: 'Failed',
      AutoScalingGroupName: group,
      ActivityId: options.activityId,
      Details: { 'Availability Zone': `${REGION}b`, 'Subnet ID': 'subnet-12345678' },
      RequestId: `req-${options.activityId}`,
      StatusMessage:
        options.message ??
        `We currently do not have sufficient t3.medium capacity in the Availability Zone you requested (${REGION}b). Launching EC2 instance failed.`,
      EndTime: time,
      EC2InstanceId: options.instanceId ?? '',
      StartTime: time,
      Cause: `At ${time} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.`,
    },
  };
}

/**
 * A Route53 public DNS query-log line in the documented format
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html):
 * version, timestamp, hosted zone, query name, type, response code, protocol,
 * edge location, resolver IP, EDNS client subnet.
 */
export function queryLine(name: string, type: string, options: { time?: string; edge?: string; resolver?: string } = {}): string {
  return `1.0 ${options.time ?? '2024-05-01T10:00:00.000Z'} ${ZONE_ID} ${name} ${type} NOERROR UDP ${options.edge ?? 'FRA6'} ${options.resolver ?? '198.51.100.7'} -`;
}

/**
 * The event a CloudWatch Logs subscription filter invokes Lambda with:
 * `awslogs.data` = base64(gzip(JSON)) of the documented payload
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html).
 * A line given as a string gets a timestamp a millisecond after the one before.
 */
export function logsEvent(lines: readonly (string | { readonly message: string; readonly timestamp: number })[], messageType = 'DATA_MESSAGE'): CloudWatchLogsEvent {
  return {
    awslogs: {
      data: encodeLogsPayload({
        messageType,
        owner: ACCOUNT,
        logGroup: `/aws/route53/${DOMAIN}`,
        logStream: `${ZONE_ID}/FRA6`,
        subscriptionFilters: ['gm-waker'],
        logEvents: lines.map((line, i) =>
          typeof line === 'string' ? { id: String(i), timestamp: 1714557600000 + i, message: line } : { id: String(i), timestamp: line.timestamp, message: line.message },
        ),
      }),
    },
  };
}

/**
 * AWS clients of the watchdog, created on first use and kept for the life of
 * the Lambda container, so importing the handler needs no environment. All
 * run in the game's region (the function's own, from AWS_REGION).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { lazyClient } from '../shared/aws-clients';

export const autoScaling = lazyClient((c) => new AutoScalingClient(c));
export const ec2 = lazyClient((c) => new EC2Client(c));
export const ecs = lazyClient((c) => new ECSClient(c));
export const ssm = lazyClient((c) => new SSMClient(c));
export const cloudWatch = lazyClient((c) => new CloudWatchClient(c));
export const eventBridge = lazyClient((c) => new EventBridgeClient(c));
export const sns = lazyClient((c) => new SNSClient(c));

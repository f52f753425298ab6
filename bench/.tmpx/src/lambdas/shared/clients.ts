/**
 * Every AWS client the functions use, each made on first use (per region).
 * Marked pure so a function's bundle keeps only the clients it calls.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { lazyClient } from './aws-clients';

export const autoScaling = /* @__PURE__ */ lazyClient((c) => new AutoScalingClient(c));
export const cloudWatch = /* @__PURE__ */ lazyClient((c) => new CloudWatchClient(c));
export const ec2 = /* @__PURE__ */ lazyClient((c) => new EC2Client(c));
export const ecs = /* @__PURE__ */ lazyClient((c) => new ECSClient(c));
export const eventBridge = /* @__PURE__ */ lazyClient((c) => new EventBridgeClient(c));
export const route53 = /* @__PURE__ */ lazyClient((c) => new Route53Client(c));
export const sns = /* @__PURE__ */ lazyClient((c) => new SNSClient(c));
export const ssm = /* @__PURE__ */ lazyClient((c) => new SSMClient(c));

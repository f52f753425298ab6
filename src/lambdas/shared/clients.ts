/**
 * Every AWS client the functions and the CLI use, each made on first use
 * (per region). Marked pure so a function's bundle keeps only the clients it
 * calls (the CLI's own ones never reach a bundle).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { lazyClient } from './aws-clients';

export const autoScaling = /* @__PURE__ */ lazyClient((c) => new AutoScalingClient(c));
export const backup = /* @__PURE__ */ lazyClient((c) => new BackupClient(c));
export const cloudWatch = /* @__PURE__ */ lazyClient((c) => new CloudWatchClient(c));
export const cloudWatchLogs = /* @__PURE__ */ lazyClient((c) => new CloudWatchLogsClient(c));
export const ec2 = /* @__PURE__ */ lazyClient((c) => new EC2Client(c));
export const ec2InstanceConnect = /* @__PURE__ */ lazyClient((c) => new EC2InstanceConnectClient(c));
export const ecs = /* @__PURE__ */ lazyClient((c) => new ECSClient(c));
export const efs = /* @__PURE__ */ lazyClient((c) => new EFSClient(c));
export const eventBridge = /* @__PURE__ */ lazyClient((c) => new EventBridgeClient(c));
export const route53 = /* @__PURE__ */ lazyClient((c) => new Route53Client(c));
export const sns = /* @__PURE__ */ lazyClient((c) => new SNSClient(c));
export const ssm = /* @__PURE__ */ lazyClient((c) => new SSMClient(c));
export const sts = /* @__PURE__ */ lazyClient((c) => new STSClient(c));

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
import { withDryRun } from '../shared/aws-clients';

/**
 * SDK attempts per call (the default is 3): five attempts with the SDK's
 * backoff ride out a throttling burst; a call that still fails fails the run,
 * and three failed runs in a row trigger the failsafe.
 */
export const MAX_ATTEMPTS = 5;

function lazy<T>(create: () => T): () => T {
  let client: T | undefined;
  return () => (client ??= create());
}

export const autoScaling = lazy(() => withDryRun(new AutoScalingClient({ maxAttempts: MAX_ATTEMPTS })));
export const ec2 = lazy(() => withDryRun(new EC2Client({ maxAttempts: MAX_ATTEMPTS })));
export const ecs = lazy(() => withDryRun(new ECSClient({ maxAttempts: MAX_ATTEMPTS })));
export const ssm = lazy(() => withDryRun(new SSMClient({ maxAttempts: MAX_ATTEMPTS })));
export const cloudWatch = lazy(() => withDryRun(new CloudWatchClient({ maxAttempts: MAX_ATTEMPTS })));
export const eventBridge = lazy(() => withDryRun(new EventBridgeClient({ maxAttempts: MAX_ATTEMPTS })));
export const sns = lazy(() => withDryRun(new SNSClient({ maxAttempts: MAX_ATTEMPTS })));

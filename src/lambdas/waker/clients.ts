/**
 * AWS clients of the waker, created on first use and kept for the life of
 * the Lambda container (one per region), so importing the handler needs no
 * environment.
 */
import { AutoScalingClient, type AutoScalingClientConfig } from '@aws-sdk/client-auto-scaling';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { withDryRun } from '../shared/aws-clients';

/**
 * SDK attempts per call (the default is 3). Auto Scaling throttles per
 * account and region; five attempts with the SDK's backoff ride out a burst,
 * and a call that still fails makes the handler fail so Lambda retries the batch.
 */
export const MAX_ATTEMPTS = 5;

/** The Auto Scaling client for the game region: the waker's one cross-region call. */
export function createAutoScalingClient(region: string, overrides: Partial<AutoScalingClientConfig> = {}): AutoScalingClient {
  return withDryRun(new AutoScalingClient({ region, maxAttempts: MAX_ATTEMPTS, ...overrides }));
}

export function createSnsClient(region: string, overrides: Partial<SNSClientConfig> = {}): SNSClient {
  return withDryRun(new SNSClient({ region, maxAttempts: MAX_ATTEMPTS, ...overrides }));
}

const autoScalingClients = new Map<string, AutoScalingClient>();
const snsClients = new Map<string, SNSClient>();

export function autoScalingClientFor(region: string): AutoScalingClient {
  let client = autoScalingClients.get(region);
  if (!client) {
    client = createAutoScalingClient(region);
    autoScalingClients.set(region, client);
  }
  return client;
}

export function snsClientFor(region: string): SNSClient {
  let client = snsClients.get(region);
  if (!client) {
    client = createSnsClient(region);
    snsClients.set(region, client);
  }
  return client;
}

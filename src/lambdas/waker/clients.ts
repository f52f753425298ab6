/**
 * AWS clients of the waker, created on first use and kept for the life of
 * the Lambda container (one per region), so importing the handler needs no
 * environment.
 */
import { AutoScalingClient, type AutoScalingClientConfig } from '@aws-sdk/client-auto-scaling';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { MAX_ATTEMPTS, withDryRun } from '../shared/aws-clients';

// The waker talks to another region than its own, so its clients are made per region
// rather than by lazyClient; the same attempts and dry-run apply.
export { MAX_ATTEMPTS };

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

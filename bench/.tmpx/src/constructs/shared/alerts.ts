import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { resourceName } from '../support/naming';

export interface AlertsProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  /** Addresses subscribed by e-mail (each confirms once). Default none. */
  readonly emails?: readonly string[];
}

/** The SNS topic every notice and alarm goes to ("starting", "ready in 95 s", failsafes). */
export class Alerts extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    // SSE with the AWS-managed key would stop EventBridge and CloudWatch from publishing
    // (they cannot use aws/sns); the notices hold no secrets.
    this.topic = new SnsTopic(this, 'topic', { name: resourceName(props.prefix, 'alerts') });
    for (const email of props.emails ?? []) {
      // Keyed by address, so reordering the list changes nothing.
      new SnsTopicSubscription(this, `email-${email.toLowerCase()}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
  }
}

import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import { checkedEnvironment } from '../../runtime/env';
import { parameterArn, scopeOf } from '../support/arn';
import { BundledFunction } from '../support/bundled-function';
import { resourceName } from '../support/naming';

export interface DiscordNotifierProps {
  /** Resource-name prefix. */
  readonly prefix: string;
  readonly region: string;
  readonly topic: SnsTopic;
  /** SSM SecureString parameter holding the webhook URL (created by the user, never in Terraform state). */
  readonly webhookParameterName: string;
}

/**
 * Sends every alert to a Discord channel. The webhook URL stays in an SSM
 * SecureString the user creates, so it never lands in Terraform state. The
 * function never fails on a bad webhook: it is a bystander of the loop.
 */
export class DiscordNotifier extends Construct {
  readonly notifier: BundledFunction;

  constructor(scope: Construct, id: string, props: DiscordNotifierProps) {
    super(scope, id);
    const webhookParameterArn = parameterArn(scopeOf(props.topic.arn, props.region), props.webhookParameterName);
    this.notifier = new BundledFunction(this, 'notifier', {
      entry: 'notifier',
      functionName: resourceName(props.prefix, 'discord'),
      description: 'Posts alerts to Discord',
      timeoutSeconds: 15,
      memoryMiB: 128,
      environment: checkedEnvironment('notifier', { GM_DISCORD_PARAMETER: props.webhookParameterName }, 'the alerts'),
      statements: [{ Sid: 'ReadWebhook', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: webhookParameterArn }],
    });
    this.subscribe('sns-invoke', 'subscription', props.topic);
  }

  /**
   * Posts what `topic` receives too. `provider` is the topic's (a topic in
   * another region, such as the waker's failures in us-east-1, delivers across
   * regions; the permission stays with the function).
   */
  subscribeTo(key: string, topic: SnsTopic, provider?: AwsProvider): void {
    this.subscribe(`${key}-invoke`, `${key}-subscription`, topic, provider);
  }

  private subscribe(permissionId: string, subscriptionId: string, topic: SnsTopic, provider?: AwsProvider): void {
    const permission = new LambdaPermission(this, permissionId, {
      functionName: this.notifier.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'sns.amazonaws.com',
      sourceArn: topic.arn,
    });
    new SnsTopicSubscription(this, subscriptionId, {
      provider,
      topicArn: topic.arn,
      protocol: 'lambda',
      endpoint: this.notifier.function.arn,
      dependsOn: [permission],
    });
  }
}

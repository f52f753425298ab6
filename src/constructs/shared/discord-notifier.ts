import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import { accountOf, partitionOf } from '../support/arn';
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
    const parameterArn = `arn:${partitionOf(props.topic.arn)}:ssm:${props.region}:${accountOf(props.topic.arn)}:parameter/${props.webhookParameterName.replace(/^\//, '')}`;
    this.notifier = new BundledFunction(this, 'notifier', {
      entry: 'notifier',
      functionName: resourceName(props.prefix, 'discord'),
      description: 'Posts alerts to Discord',
      timeoutSeconds: 15,
      memoryMiB: 128,
      environment: { GM_DISCORD_PARAMETER: props.webhookParameterName },
      statements: [{ Sid: 'ReadWebhook', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: parameterArn }],
    });
    const permission = new LambdaPermission(this, 'sns-invoke', {
      functionName: this.notifier.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'sns.amazonaws.com',
      sourceArn: props.topic.arn,
    });
    new SnsTopicSubscription(this, 'subscription', {
      topicArn: props.topic.arn,
      protocol: 'lambda',
      endpoint: this.notifier.function.arn,
      dependsOn: [permission],
    });
  }
}

/** Discord alerts exist only when configured, and then read nothing but their webhook parameter. */
import { functionStatements, resourcesFor } from '../control-loop/support/iam';
import { THREE_GAMES, byName, exampleYaml, only, ref, resources, synthMain, type SynthResult } from '../control-loop/support/synth';

describe('without alerts.discordWebhookParameter', () => {
  let synth: SynthResult;
  beforeAll(() => {
    synth = synthMain(exampleYaml());
  });

  it('creates no notifier', () => {
    expect(resources(synth.json, 'aws_lambda_function').filter((f) => String(f.body.function_name).includes('discord'))).toEqual([]);
    expect(resources(synth.json, 'aws_sns_topic_subscription').filter((s) => s.body.protocol === 'lambda')).toEqual([]);
    expect(resources(synth.json, 'aws_lambda_permission').filter((p) => p.body.principal === 'sns.amazonaws.com')).toEqual([]);
    expect(resources(synth.json, 'aws_cloudwatch_log_group').filter((g) => String(g.body.name).includes('discord'))).toEqual([]);
  });
});

describe('with alerts.discordWebhookParameter', () => {
  let synth: SynthResult;
  beforeAll(() => {
    synth = synthMain(THREE_GAMES);
  });

  it('subscribes the notifier to the alerts topic and the waker\'s failures, which alone may invoke it', () => {
    const notifier = byName(synth.json, 'aws_lambda_function', 'gm-discord');
    const topics = [byName(synth.json, 'aws_sns_topic', 'gm-alerts'), byName(synth.json, 'aws_sns_topic', 'gm-waker-failures')];
    const subscriptions = resources(synth.json, 'aws_sns_topic_subscription').filter((s) => s.body.protocol === 'lambda');
    const permissions = resources(synth.json, 'aws_lambda_permission').filter((p) => p.body.principal === 'sns.amazonaws.com');
    expect(subscriptions).toHaveLength(topics.length);
    expect(permissions).toHaveLength(topics.length);
    for (const topic of topics) {
      const subscription = only(synth.json, 'aws_sns_topic_subscription', (b) => b.protocol === 'lambda' && b.topic_arn === ref('aws_sns_topic', topic, 'arn'));
      expect(subscription.body).toMatchObject({ endpoint: ref('aws_lambda_function', notifier, 'arn') });
      // In the topic's region (the waker's failures are in us-east-1).
      expect(subscription.body.provider).toBe(topic.body.provider);
      const permission = only(synth.json, 'aws_lambda_permission', (b) => b.principal === 'sns.amazonaws.com' && b.source_arn === ref('aws_sns_topic', topic, 'arn'));
      expect(permission.body).toMatchObject({ action: 'lambda:InvokeFunction', function_name: ref('aws_lambda_function', notifier, 'function_name') });
      expect(subscription.body.depends_on).toContain(`aws_lambda_permission.${permission.name}`);
    }
  });

  it('may read only the configured parameter', () => {
    const notifier = byName(synth.json, 'aws_lambda_function', 'gm-discord');
    const granted = resourcesFor(functionStatements(synth.json, notifier), 'ssm:GetParameter');
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatch(/^arn:\$\{[^}]+\}:ssm:eu-central-1:\$\{[^}]+\}:parameter\/gm\/discord-webhook$/);
    expect((notifier.body.environment as { variables: Record<string, string> }).variables.GM_DISCORD_PARAMETER).toBe('/gm/discord-webhook');
  });
});

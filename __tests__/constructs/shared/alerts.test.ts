import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Testing } from 'cdktf';
import { configDocument, minecraft } from '../support/fixtures';
import { only, ref, resources, synthDocument } from '../support/synth';

Testing.setupJest();

describe('alerts', () => {
  it('creates one topic and one e-mail subscription per address', () => {
    const emails = ['admin@example.com', 'friend@example.org', 'third@example.net'];
    const synth = synthDocument(configDocument({ mc: minecraft() }, { alerts: { emails } }));
    expect(synth.main.text).toHaveResourceWithProperties(SnsTopic, { name: 'gm-alerts' });
    const topic = only(synth.main.json, 'aws_sns_topic', (b) => b.name === 'gm-alerts');
    const subscriptions = resources(synth.main.json, 'aws_sns_topic_subscription')
      .filter((s) => s.body.protocol === 'email' && s.body.topic_arn === ref('aws_sns_topic', topic, 'arn'));
    expect(subscriptions.map((s) => s.body.endpoint).sort()).toEqual([...emails].sort());
  });

  it('subscribes the same addresses to the waker\'s failures (a topic in us-east-1, beside the waker)', () => {
    const emails = ['admin@example.com', 'friend@example.org'];
    const synth = synthDocument(configDocument({ mc: minecraft() }, { alerts: { emails } }));
    const failures = only(synth.main.json, 'aws_sns_topic', (b) => b.name === 'gm-waker-failures');
    expect(failures.body.provider).toBe('aws.us_east_1');
    const subscriptions = resources(synth.main.json, 'aws_sns_topic_subscription')
      .filter((s) => s.body.protocol === 'email' && s.body.topic_arn === ref('aws_sns_topic', failures, 'arn'));
    expect(subscriptions.map((s) => s.body.endpoint).sort()).toEqual([...emails].sort());
    for (const s of subscriptions) expect(s.body.provider).toBe('aws.us_east_1');
  });

  it('creates the topic without any subscription when no address is given', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }, { alerts: { emails: [] } }));
    expect(resources(synth.main.json, 'aws_sns_topic').filter((t) => t.body.name === 'gm-alerts')).toHaveLength(1);
    expect(resources(synth.main.json, 'aws_sns_topic_subscription').filter((s) => s.body.protocol === 'email')).toEqual([]);
  });

  it('keeps a subscription\'s Terraform name when the list is reordered (no resubscribe e-mails)', () => {
    const names = (emails: string[]) => {
      const synth = synthDocument(configDocument({ mc: minecraft() }, { alerts: { emails } }));
      return Object.fromEntries(resources(synth.main.json, 'aws_sns_topic_subscription').map((s) => [`${String(s.body.topic_arn)} ${String(s.body.endpoint)}`, s.name]));
    };
    expect(names(['a@example.com', 'b@example.com'])).toEqual(names(['b@example.com', 'a@example.com']));
  });

  // Regression: addresses differing only in punctuation used to get the same construct id
  // (`email-a-b-example-com`), and synth stopped with "There is already a Construct with name".
  it('subscribes two addresses that differ only in punctuation (a.b@ and a-b@)', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }, { alerts: { emails: ['a.b@example.com', 'a-b@example.com'] } }));
    // Each on the alerts topic and on the waker's failures.
    expect(resources(synth.main.json, 'aws_sns_topic_subscription')).toHaveLength(4);
  });
});

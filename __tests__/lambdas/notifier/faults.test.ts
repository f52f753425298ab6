/**
 * The notifier under faults. It never throws (SNS and Lambda retries would
 * only repeat a post, and the e-mail subscription carries every alert anyway),
 * so each test states what reached Discord in the END, and that the failure
 * shows in a log line and a metric.
 */
import '../../support/powertools-env';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { awsError, TRANSIENT_FAULTS } from '../../support/aws-errors';
import { capturePowertools } from '../../support/powertools-output';
import { frozenClock, parameterHolds, snsEvent, ssm, testNotifier, webhookServer } from './support';

const server = webhookServer();
const output = capturePowertools();

describe('the one AWS call (SSM GetParameter) fails', () => {
  it.each(TRANSIENT_FAULTS)('%s → no throw, nothing posted, logged and counted; the next alert reads again and is posted', async (_label, error) => {
    const thrown = error();
    ssm.on(GetParameterCommand).rejectsOnce(thrown).resolves({ Parameter: { Value: server.url() } });
    const notify = testNotifier(server);

    await expect(notify(snsEvent({ message: 'first', id: 'm-1' }))).resolves.toBeUndefined();
    await notify(snsEvent({ message: 'second', id: 'm-2' }));

    expect(server.contents()).toEqual(['second']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining(`could not read SSM parameter /gm/discord-webhook: ${thrown.name}`) }));
  });
});

describe('the same event twice', () => {
  it('a message delivered twice is posted once; the duplicate is logged and counted', async () => {
    parameterHolds(server.url());
    const notify = testNotifier(server);

    await notify(snsEvent({ subject: 's', message: 'once', id: 'm-9' }));
    await notify(snsEvent({ subject: 's', message: 'once', id: 'm-9' }));

    expect(server.contents()).toEqual(['**s**\nonce']);
    expect(output.metric('DuplicateRecords')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ message: 'SNS message m-9 was posted already; skipped' }));
  });

  it('a message whose post failed is posted when it comes again', async () => {
    parameterHolds(server.url());
    server.answer('fail', 'ok');
    const notify = testNotifier(server);

    await notify(snsEvent({ message: 'again', id: 'm-10' }));
    await notify(snsEvent({ message: 'again', id: 'm-10' }));

    expect(server.contents()).toEqual(['again', 'again']);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.metric('DuplicateRecords')).toBe(0);
  });
});

describe('events out of order', () => {
  it('"stopped" arriving before "starting" → both posted, each once, in the order received', async () => {
    parameterHolds(server.url());
    const notify = testNotifier(server);

    await notify(snsEvent({ subject: 'mc.example.com stopped', message: 'after 2 h', id: 'm-b' }));
    await notify(snsEvent({ subject: 'mc.example.com starting', message: 'looked up', id: 'm-a' }));

    expect(server.contents()).toEqual(['**mc.example.com stopped**\nafter 2 h', '**mc.example.com starting**\nlooked up']);
  });

  it('a failed post does not stop the records after it', async () => {
    parameterHolds(server.url());
    server.answer('fail', 'ok');

    await testNotifier(server)(snsEvent({ message: 'one' }, { message: 'two' }));

    expect(server.contents()).toEqual(['one', 'two']);
    expect(output.metric('WebhookFailures')).toBe(1);
  });
});

describe('missing or corrupt state (the webhook parameter)', () => {
  it('missing parameter → no throw, no request, explained and counted', async () => {
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound', 'Parameter not found'));

    await expect(testNotifier(server)(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(server.received).toHaveLength(0);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('SSM parameter /gm/discord-webhook not found') }));
  });

  it.each([
    ['text that is not a URL', 'paste the webhook here'],
    ['another site', 'https://example.com/api/webhooks/1/t'],
    ['empty', ''],
  ])('a parameter holding %s → nothing posted, explained and counted', async (_label, value) => {
    parameterHolds(value);

    await expect(testNotifier(server)(snsEvent({ message: 'm' }))).resolves.toBeUndefined();

    expect(server.received).toHaveLength(0);
    expect(output.metric('WebhookFailures')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringContaining('must hold a Discord webhook URL') }));
  });

  it('a URL pasted with a trailing newline still works', async () => {
    parameterHolds(`${server.url()}\n`);

    await testNotifier(server)(snsEvent({ message: 'm' }));

    expect(server.contents()).toEqual(['m']);
  });
});

describe('malformed events', () => {
  it.each([
    ['null', null],
    ['no Records field', {}],
    ['no records', { Records: [] }],
    ['a record without Sns', { Records: [{}] }],
    ['a message that is not text', { Records: [{ Sns: { Subject: 's', Message: 42 } }] }],
  ])('%s → no throw, no request, skipped and counted', async (_label, event) => {
    parameterHolds(server.url());

    await expect(testNotifier(server)(event)).resolves.toBeUndefined();

    expect(server.received).toHaveLength(0);
    expect(output.metric('SkippedRecords')).toBe(1);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringContaining('SNS record skipped') }));
  });

  it('good records beside a malformed one are still posted', async () => {
    parameterHolds(server.url());
    const event = { Records: [{ Sns: null }, ...snsEvent({ message: 'good' }).Records] };

    await testNotifier(server, { clock: frozenClock() })(event);

    expect(server.contents()).toEqual(['good']);
    expect(output.metric('SkippedRecords')).toBe(1);
  });
});

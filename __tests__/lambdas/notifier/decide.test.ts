import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DISCORD_CONTENT_MAX,
  discordBody,
  discordContent,
  isAllowedWebhookUrl,
  isStaleWebhook,
  MAX_RATE_LIMIT_WAIT_MS,
  rateLimitWaitMs,
  readRecords,
  truncate,
} from '../../../src/lambdas/notifier/decide';
import { snsEvent } from './support';

describe('readRecords', () => {
  it('reads id, subject and message of each record', () => {
    expect(readRecords(snsEvent({ subject: 'mc.example.com is ready', message: 'ready in 95 s', id: 'm-1' }, { message: 'no subject', id: 'm-2' }))).toEqual({
      alerts: [
        { messageId: 'm-1', subject: 'mc.example.com is ready', message: 'ready in 95 s' },
        { messageId: 'm-2', message: 'no subject' },
      ],
      skipped: [],
    });
  });

  it('skips unusable records with a reason and keeps the good ones', () => {
    const event = { Records: [{}, { Sns: { Message: 42 } }, { Sns: { Message: '  ' } }, ...snsEvent({ message: 'ok', id: 'm-3' }).Records] };
    expect(readRecords(event)).toEqual({
      alerts: [{ messageId: 'm-3', message: 'ok' }],
      skipped: ['record 0 has no Sns object', 'record 1 has no message text', 'record 2 has no message text'],
    });
  });

  it.each([
    ['null', null],
    ['no Records', {}],
    ['Records not a list', { Records: 'x' }],
  ])('%s → nothing to relay, one reason', (_label, event) => {
    expect(readRecords(event)).toEqual({ alerts: [], skipped: ['the event has no Records list'] });
  });

  it('an empty Records list is reported too', () => {
    expect(readRecords({ Records: [] })).toEqual({ alerts: [], skipped: ['the event has no records'] });
  });
});

describe('discordContent', () => {
  it('puts the subject in bold above the message', () => {
    expect(discordContent('mc.example.com stopped', 'after 2 h 10 min')).toBe('**mc.example.com stopped**\nafter 2 h 10 min');
  });

  it('uses the message alone when there is no subject', () => {
    expect(discordContent(null, 'ready in 95 s')).toBe('ready in 95 s');
    expect(discordContent(undefined, 'ready in 95 s')).toBe('ready in 95 s');
    expect(discordContent('', 'ready in 95 s')).toBe('ready in 95 s');
  });

  it("cuts long messages to Discord's 2000 characters, marking the cut", () => {
    const content = discordContent('s', 'x'.repeat(5000));
    expect(Array.from(content)).toHaveLength(DISCORD_CONTENT_MAX);
    expect(content.endsWith('…')).toBe(true);
  });

  it('leaves a message of exactly 2000 characters alone', () => {
    const message = 'y'.repeat(2000);
    expect(discordContent(undefined, message)).toBe(message);
  });
});

describe('truncate', () => {
  it('never splits a character made of two UTF-16 units', () => {
    const cut = truncate('😀'.repeat(10), 5);
    expect(cut).toBe('😀😀😀😀…');
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('discordBody', () => {
  it('disables mentions so an alert text cannot ping @everyone', () => {
    expect(discordBody('@everyone hi')).toEqual({ content: '@everyone hi', allowed_mentions: { parse: [] } });
  });
});

describe('isAllowedWebhookUrl', () => {
  it.each([
    'https://discord.com/api/webhooks/123456789/abcDEF-_token',
    'https://discordapp.com/api/webhooks/123456789/abcDEF-_token',
  ])('accepts %s', (url) => {
    expect(isAllowedWebhookUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://discord.com/api/webhooks/1/t'],
    ['another host', 'https://example.com/api/webhooks/1/t'],
    ['a look-alike host', 'https://discord.com.evil.example/api/webhooks/1/t'],
    ['a subdomain', 'https://evil.discord.com.example/api/webhooks/1/t'],
    ['credentials in the URL', 'https://user:pass@discord.com/api/webhooks/1/t'],
    ['an explicit port', 'https://discord.com:8443/api/webhooks/1/t'],
    ['another path', 'https://discord.com/api/channels/1/messages'],
    ['no webhook id', 'https://discord.com/api/webhooks/'],
    ['not a URL', 'my webhook'],
    ['empty', ''],
    ['a local test server', 'http://127.0.0.1:8080/api/webhooks/1/t'],
  ])('rejects %s', (_label, url) => {
    expect(isAllowedWebhookUrl(url)).toBe(false);
  });

  it('accepts a test server only through the explicit extra prefix', () => {
    expect(isAllowedWebhookUrl('http://127.0.0.1:8080/api/webhooks/1/t', { extraAllowedPrefix: 'http://127.0.0.1:8080/' })).toBe(true);
    expect(isAllowedWebhookUrl('http://127.0.0.1:9999/api/webhooks/1/t', { extraAllowedPrefix: 'http://127.0.0.1:8080/' })).toBe(false);
  });
});

describe('after a refused post', () => {
  it('a deleted or re-tokened webhook (401, 403, 404) is read again next time; others are not', () => {
    expect([401, 403, 404].map(isStaleWebhook)).toEqual([true, true, true]);
    expect([undefined, 400, 429, 500].map(isStaleWebhook)).toEqual([false, false, false, false]);
  });

  it("a rate limit is waited out once when Discord's wait fits the function", () => {
    expect(rateLimitWaitMs(429, 0.25)).toBe(250);
    expect(rateLimitWaitMs(429, undefined)).toBe(1000);
    expect(rateLimitWaitMs(429, MAX_RATE_LIMIT_WAIT_MS / 1000)).toBe(MAX_RATE_LIMIT_WAIT_MS);
    expect(rateLimitWaitMs(429, 30)).toBeUndefined();
    expect(rateLimitWaitMs(500, 0.25)).toBeUndefined();
    expect(rateLimitWaitMs(undefined, undefined)).toBeUndefined();
  });
});

describe('examples/events/notifier-sns.json', () => {
  it('holds one relayable alert', () => {
    const event: unknown = JSON.parse(readFileSync(join(__dirname, '../../../examples/events/notifier-sns.json'), 'utf8'));
    expect(readRecords(event)).toEqual({
      alerts: [{ messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', subject: 'mc.example.com is ready', message: 'mc.example.com is ready in 95 s' }],
      skipped: [],
    });
  });
});

import { DISCORD_CONTENT_MAX, discordBody, discordContent, isAllowedWebhookUrl, truncate } from '../../../src/lambdas/notifier/logic';

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

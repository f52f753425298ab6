/** Finding the Session Manager plugin on PATH and calling it as the AWS CLI does. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findPlugin, pluginLaunch, pluginVersion, RESPONSE_ENV_NAME, ssmEndpoint, takesResponseFromEnvironment } from '../../../src/cli/session-manager/plugin';
import { installFakePlugin } from './fake-plugin';

describe('findPlugin', () => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'no-smp-'));
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('finds the executable in the first PATH folder that has it', () => {
    const plugin = installFakePlugin();
    try {
      expect(findPlugin({ PATH: [empty, plugin.folder].join(delimiter) }, 'linux')).toBe(join(plugin.folder, 'session-manager-plugin'));
    } finally {
      plugin.remove();
    }
  });

  it('passes over a file of that name that is not executable', () => {
    writeFileSync(join(empty, 'session-manager-plugin'), 'not a program');
    chmodSync(join(empty, 'session-manager-plugin'), 0o644);
    expect(findPlugin({ PATH: empty }, 'linux')).toBeUndefined();
  });

  it('finds nothing on an empty PATH', () => {
    expect(findPlugin({}, 'linux')).toBeUndefined();
  });
});

describe('pluginVersion', () => {
  it("reads the real program's --version", async () => {
    const plugin = installFakePlugin();
    try {
      expect(await pluginVersion(join(plugin.folder, 'session-manager-plugin'), plugin.env({ FAKE_PLUGIN_VERSION: '1.2.650.0' }))).toBe('1.2.650.0');
    } finally {
      plugin.remove();
    }
  });
});

describe('takesResponseFromEnvironment', () => {
  it.each([
    ['1.2.707.0', true],
    ['1.2.498', true],
    ['1.3', true],
    ['1.2.497.0', false],
    ['1.2.463.0', false],
    ['not a version', false],
    [undefined, false],
  ])('%s → %s', (version, expected) => {
    expect(takesResponseFromEnvironment(version)).toBe(expected);
  });
});

describe('pluginLaunch', () => {
  const session = { SessionId: 's-1', TokenValue: 't', StreamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1' };
  const request = { Target: 'i-1' };

  it('a new plugin gets the variable name in place of the response, and the response in its environment', () => {
    const launch = pluginLaunch({ session, request, region: 'eu-west-1', profile: undefined, version: '1.2.707.0', env: { PATH: '/bin' } });
    expect(launch.args).toEqual([RESPONSE_ENV_NAME, 'eu-west-1', 'StartSession', '', '{"Target":"i-1"}', 'https://ssm.eu-west-1.amazonaws.com']);
    expect(JSON.parse(launch.env[RESPONSE_ENV_NAME]!)).toEqual(session);
  });

  it('an old plugin gets the response inline', () => {
    const launch = pluginLaunch({ session, request, region: 'cn-north-1', profile: 'friends', version: '1.2.463.0', env: {} });
    expect(launch.args).toEqual([JSON.stringify(session), 'cn-north-1', 'StartSession', 'friends', '{"Target":"i-1"}', 'https://ssm.cn-north-1.amazonaws.com.cn']);
    expect(launch.env[RESPONSE_ENV_NAME]).toBeUndefined();
  });

  it('the endpoint of a region', () => {
    expect(ssmEndpoint('us-east-1')).toBe('https://ssm.us-east-1.amazonaws.com');
  });
});

/**
 * `gm shell` in process: Auto Scaling and SSM answered by
 * aws-sdk-client-mock, the Session Manager plugin a real executable on PATH
 * (a fake that records its arguments), output read line by line.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { SSMClient, StartSessionCommand, TerminateSessionCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { shellCommand, runShell, type ShellDependencies } from '../../src/cli/commands/shell';
import { main } from '../../src/cli/main';
import { RESPONSE_ENV_NAME } from '../../src/cli/session-manager/plugin';
import { awsError, throttling } from '../support/aws-errors';
import { captureIo } from '../support/cli-io';
import { installFakePlugin, type FakePlugin } from './session-manager/fake-plugin';
import { deniedMessage, group, INSTANCE_ID, noCredentials, REGION, writeTestDeployment, type TestDeployment } from './session-manager/test-deployment';

const autoScaling = mockClient(AutoScalingClient);
const ssm = mockClient(SSMClient);
let deployment: TestDeployment;
let plugin: FakePlugin;

const SESSION = { SessionId: 'ana-0a1b2c3d4e5f67890', TokenValue: 'AAEAAh-token', StreamUrl: `wss://ssmmessages.${REGION}.amazonaws.com/v1/data-channel/ana-0a1b2c3d4e5f67890?role=publish_subscribe` };

beforeAll(() => {
  deployment = writeTestDeployment();
  plugin = installFakePlugin();
});
afterAll(() => {
  autoScaling.restore();
  ssm.restore();
  deployment.remove();
  plugin.remove();
});
beforeEach(() => {
  autoScaling.reset();
  ssm.reset();
  ssm.on(StartSessionCommand).resolves(SESSION);
  ssm.on(TerminateSessionCommand).resolves({ SessionId: SESSION.SessionId });
});

const linux = () => ({ platform: 'linux', arch: 'x64', osRelease: 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n' });

function deps(env: NodeJS.ProcessEnv): ShellDependencies {
  return { env: { ...env, GM_CONFIG: deployment.configFile }, machine: linux };
}

function withHost(desired: number, instances: { id: string; state: string }[]) {
  autoScaling.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: ['gm-mc'] }).resolves({ AutoScalingGroups: [group('gm-mc', desired, instances)] });
}

/** The command with its dependencies, as main() dispatches it. */
const commandWith = (d: ShellDependencies) => ({ ...shellCommand, run: (args: readonly string[], io: Parameters<typeof runShell>[1]) => runShell(args, io, d) });

describe('gm shell on a running game', () => {
  it('starts a session on the InService host and hands it to the plugin with the AWS CLI arguments', async () => {
    withHost(1, [{ id: 'i-0fffffffffffffff0', state: 'Terminating:Wait' }, { id: INSTANCE_ID, state: 'InService' }]);
    const { io, out, err } = captureIo();
    const status = await runShell(['mc'], io, deps(plugin.env()));

    expect(status).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      `Opening a shell on mc's host ${INSTANCE_ID} (${REGION}). Type \`exit\` to leave.`,
      'World (container /data): /mnt/gm-world/volumes/data',
    ]);
    expect(ssm.commandCalls(StartSessionCommand).map((c) => c.args[0].input)).toEqual([{ Target: INSTANCE_ID }]);
    const runs = plugin.runs();
    expect(runs).toHaveLength(1);
    // A plugin newer than 1.2.497.0 reads the response from the variable named in its place.
    expect(runs[0]!.argv).toEqual([RESPONSE_ENV_NAME, REGION, 'StartSession', '', JSON.stringify({ Target: INSTANCE_ID }), `https://ssm.${REGION}.amazonaws.com`]);
    expect(JSON.parse(runs[0]!.responseEnv!)).toEqual(SESSION);
  });

  it('passes the response inline to an old plugin, and the profile in use', async () => {
    withHost(1, [{ id: INSTANCE_ID, state: 'InService' }]);
    const { io } = captureIo();
    const before = plugin.runs().length;
    expect(await runShell(['mc', '--profile', 'friends'], io, deps(plugin.env({ FAKE_PLUGIN_VERSION: '1.2.497.0' })))).toBe(0);
    const run = plugin.runs()[before]!;
    expect(run.argv[0] && JSON.parse(run.argv[0])).toEqual(SESSION);
    expect(run.argv[3]).toBe('friends');
    expect(run.responseEnv).toBeNull();
    expect(run.profileEnv).toBe('friends');
  });

  it('ignores the keys the person presses in the remote shell (Ctrl-C, Ctrl-\\\\, Ctrl-Z) while the plugin runs, as the AWS CLI does, and not after', async () => {
    withHost(1, [{ id: INSTANCE_ID, state: 'InService' }]);
    const { io } = captureIo();
    // Checked by the handlers gm installs: a real SIGQUIT or SIGTSTP would end or stop the test process itself.
    const on = jest.spyOn(process, 'on');
    const off = jest.spyOn(process, 'off');
    const keys = ['SIGINT', 'SIGQUIT', 'SIGTSTP'];
    expect(await runShell(['mc'], io, deps(plugin.env()))).toBe(0);
    const installed = on.mock.calls.filter(([signal]) => keys.includes(String(signal)));
    expect(installed.map(([signal]) => signal).sort()).toEqual(keys);
    const removed = off.mock.calls.filter(([signal]) => keys.includes(String(signal)));
    expect(removed).toEqual(installed);
    on.mockRestore();
    off.mockRestore();
  });

  it('fails with the plugin\'s status when the plugin fails', async () => {
    withHost(1, [{ id: INSTANCE_ID, state: 'InService' }]);
    const { io, err } = captureIo();
    expect(await runShell(['mc'], io, deps(plugin.env({ FAKE_PLUGIN_EXIT: '255' })))).toBe(1);
    expect(err).toEqual(['gm shell: the Session Manager plugin ended with status 255']);
  });
});

describe('gm shell without a host to reach', () => {
  it('says the game is stopped and how to start it', async () => {
    withHost(0, []);
    const { io, out, err } = captureIo();
    expect(await runShell(['mc'], io, deps(plugin.env()))).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(['gm shell: mc is stopped: start it with `npm run --silent gm -- start mc`']);
    expect(ssm.commandCalls(StartSessionCommand)).toHaveLength(0);
  });

  it('says a host still starting is starting', async () => {
    withHost(1, [{ id: INSTANCE_ID, state: 'Pending:Wait' }]);
    const { io, err } = captureIo();
    expect(await runShell(['mc'], io, deps(plugin.env()))).toBe(1);
    expect(err).toEqual([`gm shell: mc is starting (host ${INSTANCE_ID} is Pending:Wait): try again in a minute`]);
  });

  it('says a host on its way down is stopping', async () => {
    withHost(0, [{ id: INSTANCE_ID, state: 'Terminating:Wait' }]);
    const { io, err } = captureIo();
    expect(await runShell(['mc'], io, deps(plugin.env()))).toBe(1);
    expect(err).toEqual([`gm shell: mc is stopping (host ${INSTANCE_ID} is Terminating:Wait): wait until it has stopped, then start it with \`npm run --silent gm -- start mc\``]);
  });

  it('says the game is not deployed when Auto Scaling does not know its group', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const { io, err } = captureIo();
    expect(await runShell(['mc'], io, deps(plugin.env()))).toBe(1);
    expect(err).toEqual([`gm shell: mc has no Auto Scaling group gm-mc in ${REGION}: deploy it first (\`cdktf deploy\`), or pass the region it is in with --region`]);
  });
});

describe('gm shell without the plugin', () => {
  it('prints the install step for this machine and the AWS CLI command, and starts no session', async () => {
    withHost(1, [{ id: INSTANCE_ID, state: 'InService' }]);
    const { io, out, err } = captureIo();
    const status = await runShell(['mc', '--region', REGION], io, deps({ PATH: '/nonexistent' }));
    expect(status).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'The AWS Session Manager plugin (session-manager-plugin) is not installed or not on PATH. Install it:',
      '  curl "https://s3.amazonaws.com/session-manager-downloads/plugin/latest/ubuntu_64bit/session-manager-plugin.deb" -o session-manager-plugin.deb && sudo dpkg -i session-manager-plugin.deb',
      'then run this command again. With the AWS CLI, the same session is:',
      `  aws ssm start-session --target ${INSTANCE_ID} --region ${REGION}`,
    ]);
    expect(ssm.commandCalls(StartSessionCommand)).toHaveLength(0);
  });
});

describe('gm shell through main(): usage and AWS failures', () => {
  it('asks for a game by name', async () => {
    const { io, err } = captureIo();
    expect(await main(['shell'], io, [commandWith(deps(plugin.env()))])).toBe(2);
    expect(err[0]).toBe(`gm shell: name a game; games in ${deployment.configFile}: mc, valheim, novol`);
  });

  it('no credentials: one line, exit 1', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(noCredentials());
    const { io, out, err } = captureIo();
    expect(await main(['shell', 'mc'], io, [commandWith(deps(plugin.env()))])).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^gm shell: no AWS credentials found/);
  });

  it('access denied to StartSession: one line naming the action', async () => {
    withHost(1, [{ id: INSTANCE_ID, state: 'InService' }]);
    const resource = `arn:aws:ec2:${REGION}:123456789012:instance/${INSTANCE_ID}`;
    ssm.on(StartSessionCommand).rejects(awsError('AccessDeniedException', deniedMessage('ssm:StartSession', resource)));
    const { io, err } = captureIo();
    expect(await main(['shell', 'mc'], io, [commandWith(deps(plugin.env()))])).toBe(1);
    expect(err).toEqual([`gm shell: AWS denied ssm:StartSession on ${resource}: your credentials need that permission (npm run --silent gm -- policy prints the policy gm needs)`]);
  });

  it('throttled past the retries: one line', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(throttling());
    const { io, err } = captureIo();
    expect(await main(['shell', 'mc'], io, [commandWith(deps(plugin.env()))])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^gm shell: AWS kept answering ThrottlingException/);
  });
});

import { join } from 'node:path';
import { COMMANDS, main } from '../../src/cli/main';
import { operatorPolicy } from '../../src/cli/operator-policy';
import { sdkCallsOf } from '../constructs/control-loop/support/lambda-sources';
import { captureIo } from '../support/cli-io';
import { REPO_ROOT } from './run-cli';

/** Commands that make no AWS call. */
const LOCAL = new Set(['policy', 'probe', 'lambda', 'cost', 'audit']);
const policy = operatorPolicy('gm', 'eu-west-1');
const granted = new Set(policy.Statement.flatMap((s) => s.Action));

describe('the operator policy (gm policy)', () => {
  const awsCommands = COMMANDS.filter((c) => !LOCAL.has(c.name)).map((c) => c.name);

  it.each(awsCommands)('grants every AWS call gm %s can make', (name) => {
    // Every `new …Command(` in the code the command reaches (its own files and the shared ones it uses).
    const calls = sdkCallsOf(join(REPO_ROOT, 'src/cli/commands', `${name}.ts`));
    expect(calls.length).toBeGreaterThan(0);
    const unknown = calls.filter((c) => c.iamAction === undefined).map((c) => `${c.command} (${c.packageName})`);
    expect(unknown).toEqual([]);
    const missing = [...new Set(calls.map((c) => c.iamAction!))].filter((action) => !granted.has(action)).sort();
    // A call missing here: grant it in src/cli/operator-policy.ts, scoped as tightly as AWS allows.
    expect(missing).toEqual([]);
  });

  it('grants nothing the commands do not call', () => {
    const called = new Set(awsCommands.flatMap((name) => sdkCallsOf(join(REPO_ROOT, 'src/cli/commands', `${name}.ts`)).map((c) => c.iamAction)));
    // Checked by AWS for a call, not a call themselves: the Session Manager plugin resumes a dropped
    // session (ssm:ResumeSession); StartRestoreJob hands the restore role to AWS Backup (iam:PassRole).
    const implied = new Set(['ssm:ResumeSession', 'iam:PassRole']);
    expect([...granted].filter((a) => !called.has(a) && !implied.has(a)).sort()).toEqual([]);
  });

  it('never grants every action of a service, and scopes what it can to the deployment', () => {
    for (const s of policy.Statement) {
      for (const action of s.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
    }
    const scoped = (action: string) => policy.Statement.filter((s) => s.Action.includes(action));
    expect(scoped('autoscaling:SetDesiredCapacity')[0]).toMatchObject({
      Resource: 'arn:aws:autoscaling:eu-west-1:*:autoScalingGroup:*:autoScalingGroupName/gm-*',
      Condition: { StringEquals: { 'aws:ResourceTag/Deployment': 'gm' } },
    });
    expect(scoped('ssm:PutParameter')[0]!.Resource).toBe('arn:aws:ssm:eu-west-1:*:parameter/gm/*');
    expect(scoped('logs:FilterLogEvents')[0]!.Resource).toBe('arn:aws:logs:eu-west-1:*:log-group:/gm/*/game:*');
    // Shells and tunnels: only to instances of this deployment.
    const onInstances = scoped('ssm:StartSession').find((s) => s.Resource === 'arn:aws:ssm:eu-west-1:*:instance/*' || s.Resource === 'arn:aws:ec2:eu-west-1:*:instance/*');
    expect(onInstances?.Condition).toEqual({ StringEquals: { 'ssm:resourceTag/Deployment': 'gm' } });
    expect(scoped('iam:PassRole')[0]).toMatchObject({
      Resource: 'arn:aws:iam::*:role/gm-world-restore',
      Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
    });
  });

  it('prints the policy for the deployment of GM_CONFIG, with the account when given', async () => {
    const saved = process.env.GM_CONFIG;
    process.env.GM_CONFIG = join(REPO_ROOT, 'examples/valheim.yaml');
    try {
      const captured = captureIo();
      expect(await main(['policy', '--account', '123456789012'], captured.io)).toBe(0);
      const printed = JSON.parse(captured.out.join('\n')) as ReturnType<typeof operatorPolicy>;
      expect(printed.Statement.find((s) => s.Sid === 'OwnGameState')?.Resource).toMatch(/^arn:aws:ssm:[a-z0-9-]+:123456789012:parameter\/[a-z0-9-]+\/\*$/);

      const bad = captureIo();
      expect(await main(['policy', '--account', '12345'], bad.io)).toBe(2);
      expect(bad.err[0]).toBe('gm policy: --account must be a 12-digit AWS account id, got "12345"');
    } finally {
      if (saved === undefined) delete process.env.GM_CONFIG;
      else process.env.GM_CONFIG = saved;
    }
  });
});

/** What every function of the loop has in common, and what each needs from its environment. */
import { ENTRIES, allFunctions } from './support/expected-calls';
import { readJsonencode } from '../support/hcl';
import { roleOf } from './support/iam';
import { requiredEnvNames } from './support/lambda-sources';
import { THREE_GAMES, address, byName, exampleYaml, ref, resources, synthMain, type Named, type SynthResult } from './support/synth';

const GAMES = ['mc', 'valheim', 'terraria'];

let synth: SynthResult;
beforeAll(() => {
  synth = synthMain(THREE_GAMES);
});

const functions = (): Named[] => resources(synth.json, 'aws_lambda_function');

it('there is one waker, one notifier and a watchdog, failsafe and instance hook per game', () => {
  const expected = allFunctions('gm', GAMES).map((f) => f.name);
  expect(functions().map((f) => f.body.function_name).sort()).toEqual(expected.sort());
});

describe.each(allFunctions('gm', GAMES).map((f) => f.name))('%s', (name) => {
  it('runs nodejs22.x on arm64 from index.handler', () => {
    expect(byName(synth.json, 'aws_lambda_function', name).body).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler' });
  });

  it('has a role of its own that only Lambda can assume, with no managed policies', () => {
    const fn = byName(synth.json, 'aws_lambda_function', name);
    const role = roleOf(synth.json, fn);
    const sharing = functions().filter((f) => f.body.role === fn.body.role);
    expect(sharing.map((f) => f.body.function_name)).toEqual([name]);
    expect(readJsonencode(String(role.body.assume_role_policy))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const attachments = resources(synth.json, 'aws_iam_role_policy_attachment').filter((a) => String(a.body.role).includes(`aws_iam_role.${role.name}.`));
    expect(attachments).toEqual([]);
    expect(role.body.managed_policy_arns ?? []).toEqual([]);
  });

  it('logs as JSON to /aws/lambda/<name>, created first and with a retention', () => {
    const fn = byName(synth.json, 'aws_lambda_function', name);
    const group = byName(synth.json, 'aws_cloudwatch_log_group', `/aws/lambda/${name}`);
    expect(Number(group.body.retention_in_days)).toBeGreaterThan(0);
    expect(fn.body.depends_on).toContain(address('aws_cloudwatch_log_group', group));
    expect(fn.body.logging_config).toEqual({ log_format: 'JSON', log_group: ref('aws_cloudwatch_log_group', group, 'name') });
    // Same provider as the function, so the group is in the function's region.
    expect(group.body.provider).toBe(fn.body.provider);
  });

  it('gets every environment variable its code requires', () => {
    const fn = byName(synth.json, 'aws_lambda_function', name);
    const variables = (fn.body.environment as { variables: Record<string, string> }).variables;
    const entry = variables.POWERTOOLS_SERVICE_NAME!;
    expect(ENTRIES).toContain(entry);
    const required = [...requiredEnvNames(entry)];
    expect(required.length).toBeGreaterThan(0);
    for (const variable of required) expect({ variable, set: Boolean(variables[variable]) }).toEqual({ variable, set: true });
  });
});

it('without Discord there are only the waker and the three functions of each game', () => {
  const example = synthMain(exampleYaml());
  expect(resources(example.json, 'aws_lambda_function').map((f) => f.body.function_name).sort()).toEqual(
    ['gm-mc-failsafe', 'gm-mc-instance-hook', 'gm-mc-watchdog', 'gm-waker'],
  );
});

/**
 * Things that synthesize and plan fine but fail at apply in the accounts our
 * users have. Regressions of real mistakes.
 */
import { functionStatements, resourcesFor, roleOf } from './support/iam';
import { resources, synthMain, THREE_GAMES } from './support/synth';

const { json } = synthMain(THREE_GAMES);

it('reserves no Lambda concurrency (new accounts have a quota of 10 and refuse any reservation)', () => {
  for (const fn of resources(json, 'aws_lambda_function')) {
    expect(fn.body.reserved_concurrent_executions).toBeUndefined();
  }
});

it('builds the Route53 ARN with the partition of the account, not a hard-coded "aws"', () => {
  const policies = resources(json, 'aws_iam_role_policy').map((p) => String(p.body.policy));
  const route53 = policies.filter((p) => p.includes('route53:ChangeResourceRecordSets'));
  expect(route53.length).toBeGreaterThan(0);
  for (const policy of route53) {
    expect(policy).not.toContain('arn:aws:route53');
    expect(policy).toMatch(/arn:\$\{element\(split\(":", aws_autoscaling_group\.[^)]+\.arn\), 1\)\}:route53:::hostedzone\//);
  }
});

it('lets Lambda retry a deferred wake for a few minutes, and no longer', () => {
  const waker = resources(json, 'aws_lambda_function').find((f) => f.body.function_name === 'gm-waker')!;
  const configs = resources(json, 'aws_lambda_function_event_invoke_config')
    .filter((c) => String(c.body.function_name).includes(`aws_lambda_function.${waker.name}.`));
  expect(configs).toHaveLength(1);
  expect(configs[0]!.body).toMatchObject({ maximum_retry_attempts: 2, maximum_event_age_in_seconds: 600, provider: 'aws.us_east_1' });
});

it('gives every function of the loop a place for its final failure (the notifier, a bystander, aside)', () => {
  const configs = resources(json, 'aws_lambda_function_event_invoke_config');
  for (const fn of resources(json, 'aws_lambda_function')) {
    if (fn.body.function_name === 'gm-discord') continue;
    const own = configs.filter((c) => c.body.function_name === `\${aws_lambda_function.${fn.name}.function_name}`);
    expect({ fn: fn.body.function_name, destinations: own.map((c) => Boolean((c.body.destination_config as { on_failure?: unknown } | undefined)?.on_failure)) })
      .toEqual({ fn: fn.body.function_name, destinations: [true] });
  }
});

it('grants each function what Lambda needs to deliver to its destination, applied before the destination (Lambda checks it at once)', () => {
  for (const config of resources(json, 'aws_lambda_function_event_invoke_config')) {
    const destination = (config.body.destination_config as { on_failure?: { destination: string } } | undefined)?.on_failure?.destination;
    if (!destination) continue;
    const fnName = /^\$\{aws_lambda_function\.([^.]+)\.function_name\}$/.exec(String(config.body.function_name))![1]!;
    const fn = { name: fnName, body: json.resource.aws_lambda_function![fnName]! };
    const role = roleOf(json, fn);
    const policy = resources(json, 'aws_iam_role_policy').find((p) => p.body.role === `\${aws_iam_role.${role.name}.id}`)!;
    const action = destination.startsWith('${aws_lambda_function.') ? 'lambda:InvokeFunction' : 'sns:Publish';
    expect(resourcesFor(functionStatements(json, fn), action)).toContain(destination);
    expect(config.body.depends_on).toContain(`aws_iam_role_policy.${policy.name}`);
  }
});

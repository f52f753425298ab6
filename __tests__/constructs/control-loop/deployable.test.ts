/**
 * Things that synthesize and plan fine but fail at apply in the accounts our
 * users have. Regressions of real mistakes.
 */
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

/**
 * The plan suites run no separate `terraform validate`: `plan` runs the same
 * checks first. This proves it, on a stack `validate` refuses twice (a value
 * the provider's schema rejects, a reference to nothing): the plan reports
 * both errors, with the file they are in, and plans nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planStack, prepareStack, type PreparedStack } from '../support/terraform';

let stack: PreparedStack;
beforeAll(() => {
  const stacksDir = mkdtempSync(join(tmpdir(), 'gm-invalid-stack-'));
  mkdirSync(join(stacksDir, 'invalid'));
  writeFileSync(join(stacksDir, 'invalid', 'cdk.tf.json'), JSON.stringify({
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_cloudwatch_log_group: { logs: { name: '/gm/logs', retention_in_days: 2 } },
      aws_sns_topic: { alerts: { name: '${aws_cloudwatch_log_group.missing.name}' } },
    },
  }));
  stack = prepareStack({ stacksDir, stack: 'invalid', region: 'eu-west-1' });
}, 120_000);

it('reports what terraform validate reports, and plans nothing', () => {
  expect(() => stack.run(['validate', '-no-color'])).toThrow(/retention_in_days[\s\S]*Reference to undeclared resource/);
  const result = stack.plan();
  expect(result.errors.map((d) => d.summary)).toEqual(expect.arrayContaining([
    expect.stringMatching(/^expected retention_in_days to be one of \[/),
    'Reference to undeclared resource',
  ]));
  expect(result.errors.every((d) => d.range?.filename === 'cdk.tf.json')).toBe(true);
  expect(result.byModule.size).toBe(0);
  // The one-stack suites (planStack) fail with those errors, each with its file.
  expect(() => planStack({ ...stack, plan: () => result })).toThrow(/cdk\.tf\.json: Reference to undeclared resource/);
});

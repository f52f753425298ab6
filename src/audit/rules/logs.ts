/** Logs: every group has a retention, and no function writes to a group nobody manages. */
import { asNumber, block, referenced, resourcesOfType, type Rule, type RuleFinding } from '../model';

export const logRetention: Rule = {
  id: 'logs-retention',
  severity: 'medium',
  title: 'Log retention everywhere',
  protects: 'The bill and privacy: a log group without retention keeps every line (player names, addresses) forever, at $0.03/GB-month.',
  fix: 'Set retention_in_days on every aws_cloudwatch_log_group, and give every function a managed group (logging_config.log_group).',
  check(context) {
    const groups = resourcesOfType(context, 'aws_cloudwatch_log_group');
    const endless = groups.filter((g) => !((asNumber(g.values.retention_in_days) ?? 0) > 0))
      .map((g) => ({ resource: g, detail: `retention_in_days is ${String(g.values.retention_in_days ?? 'unset')}: kept forever` }));
    // Lambda creates /aws/lambda/<name> itself, without retention, unless a managed group is there first.
    const unmanaged = resourcesOfType(context, 'aws_lambda_function').filter((fn) => fn.kind === 'synth').flatMap((fn): RuleFinding[] => {
      const target = block(fn.values, 'logging_config')?.log_group;
      const managed = referenced(context, fn, target)?.type === 'aws_cloudwatch_log_group'
        || groups.some((g) => g.source === fn.source && g.values.name === (typeof target === 'string' ? target : `/aws/lambda/${String(fn.values.function_name)}`));
      return managed ? [] : [{ resource: fn, detail: `its log group ${typeof target === 'string' ? target : `/aws/lambda/${String(fn.values.function_name)}`} is not managed here: Lambda creates it with no retention` }];
    });
    return [...endless, ...unmanaged];
  },
};

export const LOG_RULES: readonly Rule[] = [logRetention];

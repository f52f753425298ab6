import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/config/config-error';
import { parseConfigText } from '../../../src/config/load';
import { configDocument, minecraft } from '../support/fixtures';
import { only, resources, synthDocument } from '../support/synth';

Testing.setupJest();

function problemsOf(document: object): { path: string; message: string }[] {
  try {
    parseConfigText(stringify(document), 'test.yaml', {});
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('budget guard (alerts.monthlyBudgetUsd)', () => {
  it('creates a monthly cost budget that e-mails at 80 % actual and 100 % forecast spend', () => {
    const emails = ['admin@example.com', 'friend@example.org'];
    const synth = synthDocument(configDocument({ mc: minecraft() }, { alerts: { emails, monthlyBudgetUsd: 7.5 } }));
    expect(synth.main.text).toHaveResourceWithProperties(BudgetsBudget, { budget_type: 'COST', time_unit: 'MONTHLY' });
    const budget = only(synth.main.json, 'aws_budgets_budget');
    expect(budget.body).toMatchObject({ name: 'gm-monthly-budget', budget_type: 'COST', time_unit: 'MONTHLY', limit_amount: '7.50', limit_unit: 'USD' });
    const notifications = budget.body.notification as Record<string, unknown>[];
    expect(notifications).toEqual([
      { comparison_operator: 'GREATER_THAN', threshold: 80, threshold_type: 'PERCENTAGE', notification_type: 'ACTUAL', subscriber_email_addresses: emails },
      { comparison_operator: 'GREATER_THAN', threshold: 100, threshold_type: 'PERCENTAGE', notification_type: 'FORECASTED', subscriber_email_addresses: emails },
    ]);
  });

  it('is off by default', () => {
    const synth = synthDocument(configDocument({ mc: minecraft() }));
    expect(resources(synth.main.json, 'aws_budgets_budget')).toEqual([]);
    expect(synth.config.alerts.monthlyBudgetUsd).toBeUndefined();
  });

  it('refuses a budget without an alert e-mail, naming the field', () => {
    const problems = problemsOf(configDocument({ mc: minecraft() }, { alerts: { emails: [], monthlyBudgetUsd: 5 } }));
    expect(problems).toEqual([{ path: 'alerts.monthlyBudgetUsd', message: expect.stringContaining('add at least one address to alerts.emails') }]);
    // Without any alerts section at all, the same.
    expect(problemsOf(configDocument({ mc: minecraft() }, { alerts: { monthlyBudgetUsd: 5 } })).map((p) => p.path)).toEqual(['alerts.monthlyBudgetUsd']);
  });

  it('refuses an amount that is not a positive number', () => {
    for (const amount of [0, -3, 'five']) {
      const problems = problemsOf(configDocument({ mc: minecraft() }, { alerts: { emails: ['a@example.com'], monthlyBudgetUsd: amount } }));
      expect({ amount, paths: problems.map((p) => p.path) }).toEqual({ amount, paths: ['alerts.monthlyBudgetUsd'] });
      expect(problems[0]!.message).toMatch(/US dollars/);
    }
  });
});
